using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// Ready once the index has finished the first list of every enabled kind in every watched scope. Scopes the worker
/// may not list make it degraded (still ready, so the allowed ones keep working), naming them. Registered as
/// <c>workload-index</c> (called <c>deployment-index</c> before StatefulSets and DaemonSets were added).
/// </summary>
public sealed class WorkloadIndexHealthCheck(WorkloadIndex index) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!index.IsSynced)
            return Task.FromResult(HealthCheckResult.Unhealthy("the workload index has not finished its first list of every enabled kind"));
        var counts = string.Join(", ", index.CountByKind().OrderBy(c => c.Key.Resource, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key.Resource}"));
        var indexed = $"{index.Count} workloads indexed{(counts.Length == 0 ? "" : $" ({counts})")}";
        var forbidden = index.ForbiddenScopes;
        return Task.FromResult(forbidden.Count == 0
            ? HealthCheckResult.Healthy(indexed)
            : HealthCheckResult.Degraded($"{indexed}; no permission to list {string.Join(", ", forbidden)}"));
    }
}
