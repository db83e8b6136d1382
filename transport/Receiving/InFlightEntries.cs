using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>
/// The entries this worker holds (queued or running). A heartbeat re-claims them for this consumer (XCLAIM JUSTID,
/// which resets their idle time without counting a delivery), so only entries of a worker that is gone ever reach
/// <see cref="StreamDeliveryOptions.ClaimIdle"/> and are claimed by another.
/// </summary>
public sealed class InFlightEntries
{
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);

    public int Count => _ids.Count;

    public bool TryAdd(RedisValue id) => _ids.TryAdd(id.ToString(), 0);

    public bool Contains(RedisValue id) => _ids.ContainsKey(id.ToString());

    public void Remove(RedisValue id) => _ids.TryRemove(id.ToString(), out _);

    public async Task HeartbeatAsync(IDatabaseAsync database, string stream, string group, string consumer)
    {
        ArgumentNullException.ThrowIfNull(database);
        var ids = _ids.Keys.Select(k => (RedisValue)k).ToArray();
        if (ids.Length > 0)
            await database.StreamClaimIdsOnlyAsync(stream, group, consumer, 0, ids);
    }
}
