using Kuberollouttrigger.Transport.Streams;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>Reads what stream delivery left in Valkey: pending entries of the group, the dead-letter stream, the stream itself.</summary>
public sealed class StreamInspector(IConnectionMultiplexer connection, string channel, string group = "kuberollouttrigger-workers")
{
    public StreamNames Names { get; } = StreamNames.For(channel);

    private IDatabase Db => connection.GetDatabase();

    public async Task<long> PendingAsync()
    {
        if (!await Db.KeyExistsAsync(Names.Stream))
            return 0;
        var groups = await Db.StreamGroupInfoAsync(Names.Stream);
        return groups.FirstOrDefault(g => g.Name == group).PendingMessageCount;
    }

    public async Task<long> LengthAsync() => await Db.KeyExistsAsync(Names.Stream) ? await Db.StreamLengthAsync(Names.Stream) : 0;

    public async Task<bool> GroupExistsAsync() =>
        await Db.KeyExistsAsync(Names.Stream) && (await Db.StreamGroupInfoAsync(Names.Stream)).Any(g => g.Name == group);

    public async Task<IReadOnlyList<StreamEntry>> DeadLettersAsync() =>
        await Db.KeyExistsAsync(Names.DeadLetter) ? await Db.StreamRangeAsync(Names.DeadLetter) : [];

    public async Task<RedisValue> AddAsync(byte[] body, string contentType = "application/vnd.masstransit+json") =>
        await Db.StreamAddAsync(Names.Stream, [new NameValueEntry(StreamNames.BodyField, body), new NameValueEntry(StreamNames.ContentTypeField, contentType)]);
}
