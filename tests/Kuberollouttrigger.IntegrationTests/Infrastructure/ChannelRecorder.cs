using System.Text;
using System.Threading.Channels;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>
/// A test's own subscriber on the Valkey channel: records every message that crossed the wire.
/// <see cref="AssertNothingPublishedAsync"/> publishes a marker and requires it to be the next message, which proves
/// without sleeping that nothing was published before it.
/// </summary>
public sealed class ChannelRecorder : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly string _channel;
    private readonly Channel<byte[]> _messages = Channel.CreateUnbounded<byte[]>();

    private ChannelRecorder(ConnectionMultiplexer connection, string channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<ChannelRecorder> StartAsync(string address, string channel)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { address }, AbortOnConnectFail = false, SyncTimeout = 15_000, AsyncTimeout = 15_000 });
        var recorder = new ChannelRecorder(connection, channel);
        var queue = await connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel));
        queue.OnMessage(m => recorder._messages.Writer.TryWrite((byte[])m.Message!));
        return recorder;
    }

    public async Task<byte[]> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        return await _messages.Reader.ReadAsync(cts.Token);
    }

    /// <summary>Publishes <paramref name="marker"/> on the channel: every message before it was published earlier.</summary>
    public Task PublishMarkerAsync(string marker) => _connection.GetSubscriber().PublishAsync(RedisChannel.Literal(_channel), marker);

    public async Task AssertNothingPublishedAsync()
    {
        var marker = "marker-" + Guid.NewGuid();
        await _connection.GetSubscriber().PublishAsync(RedisChannel.Literal(_channel), marker);
        var next = await NextAsync();
        Assert.Equal(marker, Encoding.UTF8.GetString(next));
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
