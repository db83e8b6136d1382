
namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// How the worker reaches the cluster and which part of it it may touch (KUBECONFIG, ALLOWED_NAMESPACES,
/// WORKLOAD_KINDS, DRY_RUN, EMIT_EVENTS).
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Kubernetes";

    /// <summary>kubeconfig file; empty means the in-cluster service account.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Comma-separated namespaces; empty means every namespace the service account may list.</summary>
    public string? AllowedNamespaces { get; set; }

    /// <summary>Comma-separated workload resources to list, watch and restart: deployments, statefulsets, daemonsets.</summary>
    public string? WorkloadKinds { get; set; } = WorkloadKind.Deployments;

    public bool DryRun { get; set; }

    /// <summary>Record a Kubernetes Event (reason RolloutTriggered) on each restarted workload.</summary>
    public bool EmitEvents { get; set; }

    /// <summary>Server-side length of one watch request; the watch resumes from its last resourceVersion after it.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a namespace the worker may not list (403) is tried again.</summary>
    public TimeSpan ForbiddenRetry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deployments per LIST page.</summary>
    public int ListPageSize { get; set; } = 500;

    /// <summary>
    /// LISTs in flight at once while scopes (a kind in a namespace) sync; the watches that follow are not bounded. With
    /// thousands of allowed namespaces this keeps the API server and the worker from serving every first list at once.
    /// </summary>
    public int ListConcurrency { get; set; } = 8;

    /// <summary>Timeout of one PATCH request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<string> Namespaces =>
        [.. (AllowedNamespaces ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    /// <summary>The enabled kinds; unknown names are refused at start by <see cref="ClusterOptionsValidator"/>.</summary>
    public IReadOnlyList<WorkloadKind> Kinds => WorkloadKind.ParseList(WorkloadKinds, out _);
}
