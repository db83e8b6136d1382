using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>
/// What the worker keeps in Valkey for a channel, read as any client could: the completion signals tests wait on
/// before they count what crossed the wire.
/// </summary>
public sealed class WorkerRecords(IConnectionMultiplexer valkey, string channel)
{
    private IDatabase Db => valkey.GetDatabase();

    /// <summary>
    /// The event's idempotency record (<c>kuberollouttrigger:&lt;channel&gt;:event:&lt;id&gt;</c>) reads <c>done</c>: a replica
    /// handled it to the end, and every other delivery of it is skipped.
    /// </summary>
    public async Task<bool> IsHandledAsync(Guid eventId) =>
        await Db.StringGetAsync($"kuberollouttrigger:{channel}:event:{eventId:N}") == "done";

    /// <summary>Coalescing windows opened and not yet restarted (the sorted set of windows by the time they close).</summary>
    public async Task<long> OpenWindowsAsync() =>
        await Db.SortedSetLengthAsync($"kuberollouttrigger:{channel}:coalesce:due");
}
