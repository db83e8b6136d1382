using k8s;
using k8s.Models;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>One page of a workload LIST, whatever its kind.</summary>
public sealed record WorkloadPage(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Items, string? Continue, string? ResourceVersion)
{
    public static WorkloadPage Of<T>(IItems<T> list, V1ListMeta? metadata)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(list);
        return new WorkloadPage([.. list.Items.Select(i => (IKubernetesObject<V1ObjectMeta>)i)], metadata?.ContinueProperty, metadata?.ResourceVersion);
    }
}
