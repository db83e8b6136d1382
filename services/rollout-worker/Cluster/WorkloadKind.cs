namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// A kind of apps/v1 workload the worker can restart: its kind, its resource name (as in RBAC rules and
/// WORKLOAD_KINDS), kubectl's short name, and the OpenTelemetry attribute that names one.
/// </summary>
public sealed record WorkloadKind(string Kind, string Resource, string ShortName, string TraceAttribute)
{
    public const string ApiVersion = "apps/v1";
    public const string Deployments = "deployments";
    public const string StatefulSets = "statefulsets";
    public const string DaemonSets = "daemonsets";

    public static readonly WorkloadKind Deployment = new("Deployment", Deployments, "deploy", "k8s.deployment.name");
    public static readonly WorkloadKind StatefulSet = new("StatefulSet", StatefulSets, "sts", "k8s.statefulset.name");
    public static readonly WorkloadKind DaemonSet = new("DaemonSet", DaemonSets, "ds", "k8s.daemonset.name");

    public static IReadOnlyList<WorkloadKind> All { get; } = [Deployment, StatefulSet, DaemonSet];

    /// <summary>Lower-case kind, for log fields, span names and the <c>kind</c> metric label: <c>statefulset</c>.</summary>
    public string Label { get; } = Kind.ToLowerInvariant();

    /// <summary>
    /// Parses a comma-separated list of kinds as kubectl names them, case-insensitive: the resource
    /// (<c>deployments</c>), the kind (<c>Deployment</c>) or the short name (<c>deploy</c>, <c>sts</c>, <c>ds</c>). Returns
    /// them in the order of <see cref="All"/>, without duplicates; names it does not know are returned in <paramref name="unknown"/>.
    /// </summary>
    public static IReadOnlyList<WorkloadKind> ParseList(string? value, out IReadOnlyList<string> unknown)
    {
        var names = (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        unknown = [.. names.Where(n => !All.Any(k => k.IsNamed(n))).Distinct(StringComparer.Ordinal)];
        return [.. All.Where(k => names.Any(k.IsNamed))];
    }

    private bool IsNamed(string name) =>
        string.Equals(Resource, name, StringComparison.OrdinalIgnoreCase) || string.Equals(Kind, name, StringComparison.OrdinalIgnoreCase)
        || string.Equals(ShortName, name, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Kind;
}
