using Kuberollouttrigger.Contracts.Status;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>The one place a <see cref="WorkloadOutcome"/> becomes text: its label, its meaning, and the status record's outcome.</summary>
public static class WorkloadOutcomeText
{
    /// <summary>The label in log lines, spans and the <c>outcome</c> metric label: <c>restarted</c>, <c>dry-run</c>, <c>skipped-digest</c>, …</summary>
    public static string Label(this WorkloadOutcome outcome) => outcome switch
    {
        WorkloadOutcome.Restarted => "restarted",
        WorkloadOutcome.DryRun => "dry-run",
        WorkloadOutcome.SkippedDigest => "skipped-digest",
        WorkloadOutcome.SkippedPaused => "skipped-paused",
        WorkloadOutcome.Ignored => "ignored",
        WorkloadOutcome.Forbidden => "forbidden",
        WorkloadOutcome.NotFound => "not-found",
        WorkloadOutcome.Failed => "failed",
        WorkloadOutcome.AlreadyRestarted => "already-restarted",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>What the outcome means, as the reason of the log line and the status record when nothing more specific is known.</summary>
    public static string Reason(this WorkloadOutcome outcome) => outcome switch
    {
        WorkloadOutcome.Restarted => "patched spec.template restartedAt",
        WorkloadOutcome.DryRun => "DRY_RUN: nothing patched",
        WorkloadOutcome.SkippedDigest => "every matching container is pinned by digest",
        WorkloadOutcome.SkippedPaused => "the Deployment is paused",
        WorkloadOutcome.Ignored => "annotated kuberollouttrigger.io/ignore=true",
        WorkloadOutcome.Forbidden => "the API server answered 403",
        WorkloadOutcome.NotFound => "the API server answered 404",
        WorkloadOutcome.Failed => "the restart failed",
        WorkloadOutcome.AlreadyRestarted => "already restarted by this event",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>The event status record's outcome (<see cref="WorkloadOutcomes"/>): restarted, skipped or failed.</summary>
    public static string StatusOutcome(this WorkloadOutcome outcome) => outcome switch
    {
        WorkloadOutcome.Restarted or WorkloadOutcome.AlreadyRestarted => WorkloadOutcomes.Restarted,
        WorkloadOutcome.DryRun or WorkloadOutcome.SkippedDigest or WorkloadOutcome.SkippedPaused or WorkloadOutcome.Ignored => WorkloadOutcomes.Skipped,
        WorkloadOutcome.Forbidden or WorkloadOutcome.NotFound or WorkloadOutcome.Failed => WorkloadOutcomes.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>Whether this event restarted the workload: now, or in an earlier delivery (<see cref="WorkloadOutcome.AlreadyRestarted"/>).</summary>
    public static bool IsRestartByThisEvent(this WorkloadOutcome outcome) => outcome is WorkloadOutcome.Restarted or WorkloadOutcome.AlreadyRestarted;

    /// <summary>Whether the outcome stands: everything but <see cref="WorkloadOutcome.Failed"/>, which a retry may change.</summary>
    public static bool IsFinal(this WorkloadOutcome outcome) => outcome != WorkloadOutcome.Failed;
}
