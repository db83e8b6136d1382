using k8s.Models;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.RolloutWorker.Rollouts;

/// <summary>
/// When a StatefulSet's current generation has rolled out (RollingUpdate): the controller observed the generation,
/// every replica is updated and ready, and the current revision is the update revision. StatefulSets report no
/// progress deadline, so they fail only by the worker's rollout timeout.
/// </summary>
public static class StatefulSetRollout
{
    public static RolloutObservation Observe(V1StatefulSet statefulSet)
    {
        ArgumentNullException.ThrowIfNull(statefulSet);
        var workload = new WorkloadKey(WorkloadKind.StatefulSet, statefulSet.Metadata?.NamespaceProperty ?? "", statefulSet.Metadata?.Name ?? "");
        return new RolloutObservation(workload, statefulSet.Metadata?.Generation ?? 0, Check(statefulSet));
    }

    public static WorkloadRollout Check(V1StatefulSet statefulSet)
    {
        ArgumentNullException.ThrowIfNull(statefulSet);
        var generation = statefulSet.Metadata?.Generation ?? 0;
        var status = statefulSet.Status;
        if (status is null || (status.ObservedGeneration ?? 0) < generation)
            return Progressing("waiting for the controller to observe the new generation");
        var replicas = statefulSet.Spec?.Replicas ?? 1;
        if ((status.UpdatedReplicas ?? 0) < replicas)
            return Progressing($"{status.UpdatedReplicas ?? 0} of {replicas} replicas updated");
        if ((status.ReadyReplicas ?? 0) < replicas)
            return Progressing($"{status.ReadyReplicas ?? 0} of {replicas} replicas ready");
        if (status.UpdateRevision != status.CurrentRevision)
            return Progressing($"current revision {status.CurrentRevision} is not yet the update revision {status.UpdateRevision}");
        return new WorkloadRollout(RolloutStates.Complete, $"revision {status.UpdateRevision} on {replicas} replicas");
    }

    private static WorkloadRollout Progressing(string reason) => new(RolloutStates.Progressing, reason);
}
