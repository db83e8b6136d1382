namespace Kuberollouttrigger.Contracts.Status;

/// <summary>What the worker did to a matching workload.</summary>
public static class WorkloadOutcomes
{
    public const string Restarted = "restarted";
    public const string Skipped = "skipped";
    public const string Failed = "failed";
}
