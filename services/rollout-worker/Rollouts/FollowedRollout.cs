using System.Diagnostics;
using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.RolloutWorker.Rollouts;

/// <summary>
/// One event's interest in one workload's rollout. The target generation is unknown until the workload was read
/// after its restart; watch events seen before that are kept (the most telling one) and judged once it is known.
/// Guarded by the tracker's lock.
/// </summary>
public sealed class FollowedRollout(Guid eventId, WorkloadKey workload)
{
    public Guid EventId { get; } = eventId;

    public WorkloadKey Workload { get; } = workload;

    /// <summary>The span that restarted the workload: the rollout's end is logged in the event's trace, long after the consumer returned.</summary>
    public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;

    /// <summary>The generation the restart produced; null until known.</summary>
    public long? Target { get; set; }

    /// <summary>The observation seen while <see cref="Target"/> was unknown: a final one wins over a progressing one.</summary>
    public RolloutObservation? Early { get; set; }

    public bool Finished { get; set; }

    public ITimer? Deadline { get; set; }
}
