namespace Kuberollouttrigger.Contracts.Status;

/// <summary>The states of a restarted workload's rollout; all but <see cref="Progressing"/> are final.</summary>
public static class RolloutStates
{
    public const string Progressing = "progressing";
    public const string Complete = "complete";
    public const string Failed = "failed";
    public const string TimedOut = "timed-out";
}
