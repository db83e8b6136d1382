namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>One list + watch the worker runs: a kind in one namespace, or in all of them (<see cref="Namespace"/> empty).</summary>
public sealed record WatchScope(WorkloadKind Kind, string Namespace)
{
    public bool Contains(WorkloadKey key) =>
        key.Kind == Kind && (Namespace.Length == 0 || key.Namespace == Namespace);

    public override string ToString() => Namespace.Length == 0 ? $"{Kind.Resource} in all namespaces" : $"{Kind.Resource} in {Namespace}";
}
