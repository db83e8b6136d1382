namespace Kuberollouttrigger.RolloutWorker.Kubernetes;

/// <summary>The result of one restart attempt that the consumer does not retry.</summary>
public enum RestartOutcome
{
    Restarted,
    DryRun,
    Forbidden,
    NotFound,
}
