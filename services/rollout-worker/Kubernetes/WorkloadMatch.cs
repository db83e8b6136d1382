namespace Kuberollouttrigger.RolloutWorker.Kubernetes;

/// <summary>A workload that uses the event's image, the decision for it, and the containers that matched.</summary>
public sealed record WorkloadMatch(WorkloadKey Workload, MatchDecision Decision, IReadOnlyList<string> Containers);
