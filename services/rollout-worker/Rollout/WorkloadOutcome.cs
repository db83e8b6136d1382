using Kuberollouttrigger.RolloutWorker.Kubernetes;

namespace Kuberollouttrigger.RolloutWorker.Rollout;

/// <summary>What happened to one matching workload for one event.</summary>
public sealed record WorkloadOutcome(WorkloadKey Workload, string Outcome, string Reason)
{
    public const string Restarted = "restarted";
    public const string DryRun = "dry-run";
    public const string SkippedDigest = "skipped-digest";
    public const string SkippedPaused = "skipped-paused";
    public const string Ignored = "ignored";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not-found";
    public const string Failed = "failed";

    public bool IsFinal => Outcome != Failed;

    public static WorkloadOutcome From(WorkloadKey deployment, RestartOutcome outcome) => outcome switch
    {
        RestartOutcome.Restarted => new(deployment, Restarted, "patched spec.template restartedAt"),
        RestartOutcome.DryRun => new(deployment, DryRun, "DRY_RUN: nothing patched"),
        RestartOutcome.Forbidden => new(deployment, Forbidden, "the API server answered 403"),
        RestartOutcome.NotFound => new(deployment, NotFound, "the API server answered 404"),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static WorkloadOutcome Skipped(WorkloadMatch match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return match.Decision switch
        {
            MatchDecision.SkippedDigest => new(match.Workload, SkippedDigest, "every matching container is pinned by digest"),
            MatchDecision.SkippedPaused => new(match.Workload, SkippedPaused, "the Deployment is paused"),
            MatchDecision.Ignored => new(match.Workload, Ignored, "annotated kuberollouttrigger.io/ignore=true"),
            _ => throw new ArgumentOutOfRangeException(nameof(match), match.Decision, null),
        };
    }
}
