using k8s.Models;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.RolloutWorker.Rollouts;

/// <summary>
/// When a Deployment's current generation has rolled out, as <c>kubectl rollout status</c> decides it: failed once the
/// Progressing condition says ProgressDeadlineExceeded; complete once the controller observed the generation, every
/// replica is updated and available, no old replica is left, and Progressing says NewReplicaSetAvailable.
/// </summary>
public static class DeploymentRollout
{
    public static RolloutObservation Observe(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var workload = new WorkloadKey(WorkloadKind.Deployment, deployment.Metadata?.NamespaceProperty ?? "", deployment.Metadata?.Name ?? "");
        return new RolloutObservation(workload, deployment.Metadata?.Generation ?? 0, Check(deployment));
    }

    public static WorkloadRollout Check(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var generation = deployment.Metadata?.Generation ?? 0;
        var status = deployment.Status;
        if (status is null || (status.ObservedGeneration ?? 0) < generation)
            return Progressing("waiting for the controller to observe the new generation");

        var progressing = status.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
        if (progressing?.Reason == "ProgressDeadlineExceeded")
            return new WorkloadRollout(RolloutStates.Failed, Describe("ProgressDeadlineExceeded", progressing.Message));

        var replicas = deployment.Spec?.Replicas ?? 1;
        if ((status.UpdatedReplicas ?? 0) < replicas)
            return Progressing($"{status.UpdatedReplicas ?? 0} of {replicas} replicas updated");
        if ((status.Replicas ?? 0) > (status.UpdatedReplicas ?? 0))
            return Progressing($"{(status.Replicas ?? 0) - (status.UpdatedReplicas ?? 0)} old replicas pending termination");
        if ((status.AvailableReplicas ?? 0) < replicas)
            return Progressing($"{status.AvailableReplicas ?? 0} of {replicas} updated replicas available");
        if (progressing?.Reason != "NewReplicaSetAvailable")
            return Progressing("waiting for the Progressing condition NewReplicaSetAvailable");
        return new WorkloadRollout(RolloutStates.Complete, "NewReplicaSetAvailable");
    }

    private static WorkloadRollout Progressing(string reason) => new(RolloutStates.Progressing, reason);

    private static string Describe(string reason, string? message) => string.IsNullOrEmpty(message) ? reason : $"{reason}: {message}";
}
