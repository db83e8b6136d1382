namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>A resource the fake API server serves: its API group ("" for core), plural name and kind.</summary>
public sealed record FakeResource(string Group, string Plural, string Kind, string Singular)
{
    public static readonly FakeResource Deployments = new("apps", "deployments", "Deployment", "deployment");
    public static readonly FakeResource StatefulSets = new("apps", "statefulsets", "StatefulSet", "statefulset");
    public static readonly FakeResource DaemonSets = new("apps", "daemonsets", "DaemonSet", "daemonset");
    public static readonly FakeResource Events = new("", "events", "Event", "event");

    /// <summary>The apps/v1 workloads: listed, watched, read and patched.</summary>
    public static IReadOnlyList<FakeResource> Workloads { get; } = [Deployments, StatefulSets, DaemonSets];

    public string ApiVersion => Group.Length == 0 ? "v1" : $"{Group}/v1";

    /// <summary>As kube-apiserver names it in messages: <c>deployments.apps</c>, <c>events</c>.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public static FakeResource OfKind(string kind) =>
        Workloads.Concat([Events]).FirstOrDefault(r => r.Kind == kind) ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "the fake API does not serve this kind");
}
