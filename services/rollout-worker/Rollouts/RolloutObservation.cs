using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.RolloutWorker.Rollouts;

/// <summary>
/// What one watch event says about a workload's rollout: its <c>metadata.generation</c> and whether that generation
/// has rolled out (the pure rules of <see cref="DeploymentRollout"/>, <see cref="StatefulSetRollout"/>, <see cref="DaemonSetRollout"/>).
/// </summary>
public sealed record RolloutObservation(WorkloadKey Workload, long Generation, WorkloadRollout Check);
