using System.Collections.Concurrent;
using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>
/// Remembers, across the retries of one event in this process, which workloads already have their final outcome,
/// so a retry after a 429 or 5xx on one workload never restarts the others a second time.
/// </summary>
public sealed class EventProgress(TimeProvider time)
{
    private static readonly TimeSpan Keep = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<Guid, Entry> _events = new();

    public IReadOnlyDictionary<WorkloadKey, WorkloadResult> Done(Guid eventId)
    {
        Prune();
        return _events.GetOrAdd(eventId, _ => new Entry(time.GetUtcNow())).Results;
    }

    public void Record(Guid eventId, WorkloadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsFinal)
            _events.GetOrAdd(eventId, _ => new Entry(time.GetUtcNow())).Results[result.Workload] = result;
    }

    public void Forget(Guid eventId) => _events.TryRemove(eventId, out _);

    private void Prune()
    {
        var cutoff = time.GetUtcNow() - Keep;
        foreach (var (id, entry) in _events)
        {
            if (entry.Started < cutoff)
                _events.TryRemove(id, out _);
        }
    }

    private sealed record Entry(DateTimeOffset Started)
    {
        public ConcurrentDictionary<WorkloadKey, WorkloadResult> Results { get; } = new();
    }
}
