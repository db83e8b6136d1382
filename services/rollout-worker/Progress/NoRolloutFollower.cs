using Kuberollouttrigger.RolloutWorker.Kubernetes;

namespace Kuberollouttrigger.RolloutWorker.Progress;

/// <summary>Used where no workload watch runs (consumer-only hosts such as MassTransit's test harness).</summary>
public sealed class NoRolloutFollower : IRolloutFollower
{
    public bool Follows => false;

    public Task FollowAsync(Guid eventId, WorkloadKey workload, CancellationToken cancellationToken) => Task.CompletedTask;
}
