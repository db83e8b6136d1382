using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Rollouts;

namespace Kuberollouttrigger.IntegrationTests.Worker;

/// <summary>For consumer-only hosts (MassTransit's test harness), where no workload watch runs: restarts are final at once.</summary>
public sealed class NoRolloutFollower : IRolloutFollower
{
    public bool Follows => false;

    public Task FollowAsync(Guid eventId, WorkloadKey workload, CancellationToken cancellationToken) => Task.CompletedTask;
}
