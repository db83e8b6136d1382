namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// A kind of apps/v1 workload the worker can restart: its kind, its resource name (as in RBAC rules and
/// WORKLOAD_KINDS) and the OpenTelemetry attribute that names one.
/// </summary>
public sealed record WorkloadKind(string Kind, string Resource, string TraceAttribute)
{
    public const string ApiVersion = "apps/v1";
    public const string Deployments = "deployments";
    public const string StatefulSets = "statefulsets";
    public const string DaemonSets = "daemonsets";

    public static readonly WorkloadKind Deployment = new("Deployment", Deployments, "k8s.deployment.name");
    public static readonly WorkloadKind StatefulSet = new("StatefulSet", StatefulSets, "k8s.statefulset.name");
    public static readonly WorkloadKind DaemonSet = new("DaemonSet", DaemonSets, "k8s.daemonset.name");

    public static IReadOnlyList<WorkloadKind> All { get; } = [Deployment, StatefulSet, DaemonSet];

    /// <summary>Lower-case kind, for log fields, span names and the <c>kind</c> metric label: <c>statefulset</c>.</summary>
    public string Label { get; } = Kind.ToLowerInvariant();

    /// <summary>
    /// Parses a comma-separated list of resource names (<c>deployments,statefulsets</c>), case-insensitive, in the
    /// order of <see cref="All"/>, without duplicates; names it does not know are returned in <paramref name="unknown"/>.
    /// </summary>
    public static IReadOnlyList<WorkloadKind> ParseList(string? value, out IReadOnlyList<string> unknown)
    {
        var names = (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        unknown = [.. names.Where(n => !All.Any(k => string.Equals(k.Resource, n, StringComparison.OrdinalIgnoreCase))).Distinct(StringComparer.Ordinal)];
        return [.. All.Where(k => names.Contains(k.Resource, StringComparer.OrdinalIgnoreCase))];
    }

    public override string ToString() => Kind;
}
