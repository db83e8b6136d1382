using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.IntegrationTests.Kubernetes;

/// <summary>An <see cref="IWorkloadObserver"/> that keeps what the watcher handed it.</summary>
public sealed class RecordingObserver : IWorkloadObserver
{
    public ConcurrentQueue<(WorkloadKind Kind, WorkloadChange Change, IKubernetesObject<V1ObjectMeta> Workload)> Seen { get; } = new();

    public void OnWorkload(WorkloadKind kind, WorkloadChange change, IKubernetesObject<V1ObjectMeta> workload) => Seen.Enqueue((kind, change, workload));
}
