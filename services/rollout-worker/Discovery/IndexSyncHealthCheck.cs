using Kuberollouttrigger.RolloutWorker.Kubernetes;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuberollouttrigger.RolloutWorker.Discovery;

/// <summary>Ready once the index has finished the first list of every watched scope.</summary>
public sealed class IndexSyncHealthCheck(IDeploymentIndex index) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(index.IsSynced
            ? HealthCheckResult.Healthy($"{index.Count} deployments indexed")
            : HealthCheckResult.Unhealthy("the Deployment index has not finished its first list"));
}
