namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>What happened to one matching workload for one event, and why.</summary>
public sealed record WorkloadResult(WorkloadKey Workload, WorkloadOutcome Outcome, string Reason)
{
    public bool IsFinal => Outcome.IsFinal();

    /// <summary>The outcome with its usual reason.</summary>
    public static WorkloadResult Of(WorkloadKey workload, WorkloadOutcome outcome) => new(workload, outcome, outcome.Reason());
}
