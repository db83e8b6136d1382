using k8s;
using k8s.Models;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// The watcher's per-event hook: every <see cref="IWorkloadObserver"/> registered in the container sees each object
/// of an enabled kind the watcher receives (each item of a list page as it arrives, each ADDED/MODIFIED/DELETED event
/// after the index took it). The object is the typed one (<c>V1Deployment</c>, <c>V1StatefulSet</c>, <c>V1DaemonSet</c>) with its status,
/// e.g. for tracking rollout progress. Called on the watch loop: return quickly and do not throw.
/// </summary>
public interface IWorkloadObserver
{
    void OnWorkload(WorkloadKind kind, WorkloadChange change, IKubernetesObject<V1ObjectMeta> workload);
}
