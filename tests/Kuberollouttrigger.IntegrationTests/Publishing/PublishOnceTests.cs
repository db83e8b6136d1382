using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Redis;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Publishing;
using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.Publishing;

/// <summary>
/// The publish script against a real redis-server, through the production registration: what it publishes, what record
/// it leaves, and what an earlier attempt makes of the next one; and on a cluster node, that its keys share a slot.
/// </summary>
public sealed class PublishOnceTests : IAsyncLifetime
{
    private const string Fingerprint = "0123456789abcdef0123456789abcdef";
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _valkey = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _valkey = await _redis.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        await _valkey.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task First_attempt_publishes_and_records_delivery_then_retries_publish_nothing()
    {
        await using var services = Publisher(_redis.Address, "once-a");
        var publisher = services.GetRequiredService<IValkeyMessagePublisher>();
        await using var recorder = await ChannelRecorder.StartAsync(_redis.Address, "once-a");
        var record = Record(publisher, "token-a");

        var first = await PublishAsync(publisher, Guid.NewGuid(), record);
        var retry = await PublishAsync(publisher, Guid.NewGuid(), record);
        var checkedOnly = await publisher.CheckAsync(record, CancellationToken.None);
        var other = await PublishAsync(publisher, Guid.NewGuid(), record with { Fingerprint = "ffffffffffffffffffffffffffffffff" });

        Assert.Equal((PublishOnceKind.Published, PublishOutcomeKind.Delivered, 1L), (first.Kind, first.Outcome!.Kind, first.Outcome.Listeners));
        Assert.Equal(first.MessageId, Envelope.Parse(await recorder.NextAsync()).MessageId);
        Assert.Equal((PublishOnceKind.AlreadyDelivered, first.MessageId), (retry.Kind, retry.MessageId));
        Assert.Equal((PublishOnceKind.AlreadyDelivered, first.MessageId), (checkedOnly.Kind, checkedOnly.MessageId));
        Assert.Equal((PublishOnceKind.Conflict, first.MessageId), (other.Kind, other.MessageId));
        await recorder.AssertNothingPublishedAsync();
        var db = _valkey.GetDatabase();
        Assert.Equal($"v1|{first.MessageId:N}|{Fingerprint}|1", (string?)await db.StringGetAsync("test:jti:token-a"));
        var ttl = await db.KeyTimeToLiveAsync("test:jti:token-a");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Unheard_publish_stays_undelivered_and_the_retry_publishes_under_the_first_id_keeping_the_expiry()
    {
        await using var services = Publisher(_redis.Address, "once-b");
        var publisher = services.GetRequiredService<IValkeyMessagePublisher>();
        var record = Record(publisher, "token-b");

        var unheard = await PublishAsync(publisher, Guid.NewGuid(), record);
        Assert.Equal((PublishOnceKind.Published, PublishOutcomeKind.NobodyListening), (unheard.Kind, unheard.Outcome!.Kind));
        await _valkey.GetDatabase().KeyExpireAsync("test:jti:token-b", TimeSpan.FromMinutes(3));
        await using var recorder = await ChannelRecorder.StartAsync(_redis.Address, "once-b");
        var retry = await PublishAsync(publisher, Guid.NewGuid(), record);
        var again = await PublishAsync(publisher, retry.MessageId, record);

        Assert.Equal((PublishOnceKind.Pending, unheard.MessageId), (retry.Kind, retry.MessageId));
        Assert.Equal((PublishOnceKind.Published, PublishOutcomeKind.Delivered), (again.Kind, again.Outcome!.Kind));
        Assert.Equal(unheard.MessageId, Envelope.Parse(await recorder.NextAsync()).MessageId);
        await recorder.AssertNothingPublishedAsync();
        Assert.InRange((await _valkey.GetDatabase().KeyTimeToLiveAsync("test:jti:token-b"))!.Value, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task Checking_an_unknown_record_writes_nothing_and_garbage_in_a_record_is_replaced()
    {
        await using var services = Publisher(_redis.Address, "once-c");
        var publisher = services.GetRequiredService<IValkeyMessagePublisher>();

        var unknown = await publisher.CheckAsync(Record(publisher, "token-c"), CancellationToken.None);
        await _valkey.GetDatabase().StringSetAsync("test:jti:token-d", "v1|not-an-id|x|1");
        var overGarbage = await PublishAsync(publisher, Guid.NewGuid(), Record(publisher, "token-d"));

        Assert.Equal(PublishOnceKind.Unrecorded, unknown.Kind);
        Assert.False(await _valkey.GetDatabase().KeyExistsAsync("test:jti:token-c"));
        Assert.Equal(PublishOnceKind.Published, overGarbage.Kind);
    }

    [Fact]
    public async Task Concurrent_attempts_with_one_record_publish_once()
    {
        await using var services = Publisher(_redis.Address, "once-e");
        var publisher = services.GetRequiredService<IValkeyMessagePublisher>();
        await using var recorder = await ChannelRecorder.StartAsync(_redis.Address, "once-e");
        var record = Record(publisher, "token-e");

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => PublishAsync(publisher, Guid.NewGuid(), record))));

        var published = Assert.Single(results, r => r.Kind == PublishOnceKind.Published);
        Assert.All(results, r => Assert.Equal(published.MessageId, r.MessageId));
        Assert.Equal(29, results.Count(r => r.Kind == PublishOnceKind.AlreadyDelivered));
        Assert.Equal(published.MessageId, Envelope.Parse(await recorder.NextAsync()).MessageId);
        await recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Stream_mode_creates_the_missing_group_adds_one_entry_wakes_the_workers_and_keeps_the_record_in_the_streams_slot()
    {
        await using var services = Publisher(_redis.Address, "once-s", stream: true);
        var publisher = services.GetRequiredService<IValkeyMessagePublisher>();
        var names = StreamNames.For("once-s");
        var woken = new List<string>();
        var wake = await _valkey.GetSubscriber().SubscribeAsync(RedisChannel.Literal(names.Wake));
        var record = Record(publisher, "token-s");

        var first = await PublishAsync(publisher, Guid.NewGuid(), record);
        var retry = await PublishAsync(publisher, Guid.NewGuid(), record);

        Assert.Equal("test:jti:{once-s:stream}:token-s", record.Key);
        Assert.Equal((PublishOnceKind.Published, PublishOutcomeKind.Stored, 1L), (first.Kind, first.Outcome!.Kind, first.Outcome.Listeners));
        Assert.Equal((PublishOnceKind.AlreadyDelivered, first.MessageId), (retry.Kind, retry.MessageId));
        var inspector = new StreamInspector(_valkey, "once-s");
        Assert.True(await inspector.GroupExistsAsync());
        var entry = Assert.Single(await _valkey.GetDatabase().StreamRangeAsync(names.Stream));
        Assert.Equal(first.MessageId, Envelope.Parse((byte[])entry[StreamNames.BodyField]!).MessageId);
        Assert.Equal("application/vnd.masstransit+json", (string?)entry[StreamNames.ContentTypeField]);
        Assert.Equal(entry.Id.ToString(), (string?)(await wake.ReadAsync()).Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task On_a_cluster_node_the_scripts_keys_share_a_slot_in_both_modes(bool stream)
    {
        await using var node = await RedisServer.StartClusterNodeAsync();
        await using var services = Publisher(node.Address, "kuberollouttrigger", stream);
        var publisher = services.GetRequiredService<IValkeyMessagePublisher>();
        await using var listener = await node.ConnectAsync();
        await listener.GetSubscriber().SubscribeAsync(RedisChannel.Literal(stream ? "kuberollouttrigger:stream:wake" : "kuberollouttrigger"), (_, _) => { });
        var record = Record(publisher, "token-cluster");

        var first = await PublishAsync(publisher, Guid.NewGuid(), record);
        var retry = await PublishAsync(publisher, Guid.NewGuid(), record);

        Assert.Equal(PublishOnceKind.Published, first.Kind);
        Assert.Equal((PublishOnceKind.AlreadyDelivered, first.MessageId), (retry.Kind, retry.MessageId));
        if (stream)
        {
            // The same record without the stream's tag is in another slot: the cluster refuses the script.
            var untagged = await Assert.ThrowsAsync<ValkeyUnavailableException>(() => PublishAsync(publisher, Guid.NewGuid(), record with { Key = "test:jti:token-cluster" }));
            Assert.Contains("CROSSSLOT", untagged.InnerException!.Message, StringComparison.Ordinal);
        }
    }

    private static OnceRecord Record(IValkeyMessagePublisher publisher, string id) =>
        new(publisher.RecordKey("test:jti:", id), Fingerprint, TimeSpan.FromMinutes(10), UnheardCountsAsDelivered: false);

    private static Task<PublishOnceResult> PublishAsync(IValkeyMessagePublisher publisher, Guid id, OnceRecord record) =>
        publisher.PublishOnceAsync(new ImageUpdated(id, "ghcr.io/acme/app", ["dev"], null, DateTimeOffset.UtcNow), id, record, CancellationToken.None);

    private static ServiceProvider Publisher(string address, string channel, bool stream = false)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Valkey:Address"] = address,
            ["Valkey:Channel"] = channel,
            ["Delivery:Mode"] = stream ? "stream" : "pubsub",
        }).Build();
        return new ServiceCollection().AddLogging().AddValkeyPublishing(configuration, "publish-once-tests").BuildServiceProvider(validateScopes: true);
    }
}
