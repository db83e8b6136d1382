namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>A workload that uses the event's image, and the containers that matched.</summary>
/// <param name="Skip">Null when it is to be restarted; otherwise the outcome it is skipped with (<see cref="WorkloadOutcome.SkippedDigest"/>, <see cref="WorkloadOutcome.SkippedPaused"/>, <see cref="WorkloadOutcome.Ignored"/>).</param>
/// <param name="Containers">The matching containers' names.</param>
/// <param name="MayKeepCachedImage">The matching containers whose <c>imagePullPolicy</c> is not <c>Always</c> (and whose image no digest pins), with their policy: a restart may not pull the new image for them.</param>
/// <param name="LastEventId">The event that last restarted it, as the index last saw it (null: none known).</param>
public sealed record WorkloadMatch(WorkloadKey Workload, WorkloadOutcome? Skip, IReadOnlyList<string> Containers, IReadOnlyList<string>? MayKeepCachedImage = null,
    Guid? LastEventId = null)
{
    /// <summary>The warning a restart of this workload carries in its log line and status record, or null.</summary>
    public string? PullPolicyWarning => MayKeepCachedImage is { Count: > 0 } containers
        ? $"warning: container(s) {string.Join(", ", containers)} not imagePullPolicy Always; nodes that already have this tag keep running their copy (set imagePullPolicy: Always, or deploy a new tag)"
        : null;
}
