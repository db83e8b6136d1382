using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.RolloutWorker.Rollouts;

/// <summary>Follows the rollout of a workload the worker just restarted, until it is complete, failed or timed out.</summary>
public interface IRolloutFollower
{
    /// <summary>False where rollouts are not followed (no cluster watch in this host): restarts are then final at once.</summary>
    bool Follows { get; }

    /// <summary>Starts following; returns once the target generation is known. The outcome reaches the event's status record.</summary>
    Task FollowAsync(Guid eventId, WorkloadKey workload, CancellationToken cancellationToken);
}
