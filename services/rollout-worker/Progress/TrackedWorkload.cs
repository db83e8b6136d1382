namespace Kuberollouttrigger.RolloutWorker.Progress;

/// <summary>A workload whose rollout is followed: kind (<c>Deployment</c>, <c>StatefulSet</c>, <c>DaemonSet</c>), namespace and name.</summary>
public sealed record TrackedWorkload(string Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
