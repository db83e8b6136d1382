namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>A workload that uses the event's image, and the containers that matched.</summary>
/// <param name="Skip">Null when it is to be restarted; otherwise the outcome it is skipped with (<see cref="WorkloadOutcome.SkippedDigest"/>, <see cref="WorkloadOutcome.SkippedPaused"/>, <see cref="WorkloadOutcome.Ignored"/>).</param>
public sealed record WorkloadMatch(WorkloadKey Workload, WorkloadOutcome? Skip, IReadOnlyList<string> Containers);
