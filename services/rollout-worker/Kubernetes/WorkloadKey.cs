namespace Kuberollouttrigger.RolloutWorker.Kubernetes;

/// <summary>Identifies one Deployment.</summary>
public sealed record WorkloadKey(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
