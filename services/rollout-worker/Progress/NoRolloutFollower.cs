using Kuberollouttrigger.RolloutWorker.Kubernetes;

namespace Kuberollouttrigger.RolloutWorker.Progress;

/// <summary>Used where no Deployment watch runs (consumer-only hosts such as MassTransit's test harness).</summary>
public sealed class NoRolloutFollower : IRolloutFollower
{
    public bool Follows => false;

    public Task FollowAsync(Guid eventId, DeploymentKey deployment, CancellationToken cancellationToken) => Task.CompletedTask;
}
