using Kuberollouttrigger.Contracts.Status;

namespace Kuberollouttrigger.RolloutWorker.Progress;

/// <summary>
/// What one watch event says about a workload's rollout: its <c>metadata.generation</c> and whether that generation
/// has rolled out (the pure rules of <see cref="DeploymentRollout"/>, <see cref="StatefulSetRollout"/>, <see cref="DaemonSetRollout"/>).
/// </summary>
public sealed record RolloutObservation(TrackedWorkload Workload, long Generation, WorkloadRollout Check);
