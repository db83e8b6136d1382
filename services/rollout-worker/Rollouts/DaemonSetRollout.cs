using k8s.Models;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.RolloutWorker.Rollouts;

/// <summary>
/// When a DaemonSet's current generation has rolled out: the controller observed the generation and every node that
/// should run it runs an updated, available pod. DaemonSets report no progress deadline, so they fail only by the
/// worker's rollout timeout.
/// </summary>
public static class DaemonSetRollout
{
    public static RolloutObservation Observe(V1DaemonSet daemonSet)
    {
        ArgumentNullException.ThrowIfNull(daemonSet);
        var workload = new WorkloadKey(WorkloadKind.DaemonSet, daemonSet.Metadata?.NamespaceProperty ?? "", daemonSet.Metadata?.Name ?? "");
        return new RolloutObservation(workload, daemonSet.Metadata?.Generation ?? 0, Check(daemonSet));
    }

    public static WorkloadRollout Check(V1DaemonSet daemonSet)
    {
        ArgumentNullException.ThrowIfNull(daemonSet);
        var generation = daemonSet.Metadata?.Generation ?? 0;
        var status = daemonSet.Status;
        if (status is null || (status.ObservedGeneration ?? 0) < generation)
            return Progressing("waiting for the controller to observe the new generation");
        var desired = status.DesiredNumberScheduled;
        if ((status.UpdatedNumberScheduled ?? 0) < desired)
            return Progressing($"{status.UpdatedNumberScheduled ?? 0} of {desired} pods updated");
        if ((status.NumberAvailable ?? 0) < desired)
            return Progressing($"{status.NumberAvailable ?? 0} of {desired} updated pods available");
        return new WorkloadRollout(RolloutStates.Complete, $"{desired} pods updated and available");
    }

    private static WorkloadRollout Progressing(string reason) => new(RolloutStates.Progressing, reason);
}
