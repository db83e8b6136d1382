namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>Identifies one workload, the worker's one identity type from the index to the status record: its kind, namespace and name.</summary>
public sealed record WorkloadKey(WorkloadKind Kind, string Namespace, string Name)
{
    public static WorkloadKey Deployment(string @namespace, string name) => new(WorkloadKind.Deployment, @namespace, name);

    /// <summary><c>Deployment shop/web</c>.</summary>
    public override string ToString() => $"{Kind.Kind} {Namespace}/{Name}";
}
