namespace Kuberollouttrigger.Contracts.Status;

/// <summary>One matching workload of an event: what was done to it and, once restarted, how its rollout goes.</summary>
/// <param name="Namespace">Namespace of the workload.</param>
/// <param name="Kind"><c>Deployment</c>, <c>StatefulSet</c> or <c>DaemonSet</c>.</param>
/// <param name="Name">Name of the workload.</param>
/// <param name="Outcome">One of <see cref="WorkloadOutcomes"/>.</param>
/// <param name="Reason">Why it was skipped or failed; what was done when it was restarted.</param>
/// <param name="Rollout">The rollout after a restart; null when nothing was restarted.</param>
public sealed record WorkloadStatus(
    string Namespace,
    string Kind,
    string Name,
    string Outcome,
    string? Reason,
    WorkloadRollout? Rollout);
