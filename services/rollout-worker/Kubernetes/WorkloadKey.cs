namespace Kuberollouttrigger.RolloutWorker.Kubernetes;

/// <summary>Identifies one workload: its kind, namespace and name.</summary>
public sealed record WorkloadKey(WorkloadKind Kind, string Namespace, string Name)
{
    /// <summary>A Deployment's key.</summary>
    public WorkloadKey(string @namespace, string name)
        : this(WorkloadKind.Deployment, @namespace, name)
    {
    }

    public override string ToString() => $"{Namespace}/{Name}";
}
