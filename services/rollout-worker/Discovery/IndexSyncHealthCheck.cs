using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuberollouttrigger.RolloutWorker.Discovery;

/// <summary>
/// Ready once the index has finished the first list of every watched scope. Namespaces the worker may not list make
/// it degraded (still ready, so the allowed namespaces keep working), naming them.
/// </summary>
public sealed class IndexSyncHealthCheck(WorkloadIndex index) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!index.IsSynced)
            return Task.FromResult(HealthCheckResult.Unhealthy("the Deployment index has not finished its first list"));
        var forbidden = index.ForbiddenScopes;
        return Task.FromResult(forbidden.Count == 0
            ? HealthCheckResult.Healthy($"{index.Count} deployments indexed")
            : HealthCheckResult.Degraded($"{index.Count} deployments indexed; no permission to list deployments in: {string.Join(", ", forbidden)}"));
    }
}
