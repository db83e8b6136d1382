namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// Which event restarted a workload, written into its metadata annotations (not the pod template's, so no extra
/// rollout) and into the optional Kubernetes Event. Null values are unknown (events from the Go original carry no run).
/// </summary>
public sealed record RestartAudit(Guid EventId, string? Repository, string? Sha, string? RunId)
{
    public const string EventIdAnnotation = "kuberollouttrigger.io/last-event-id";
    public const string RepositoryAnnotation = "kuberollouttrigger.io/last-repository";
    public const string ShaAnnotation = "kuberollouttrigger.io/last-sha";
    public const string RunIdAnnotation = "kuberollouttrigger.io/last-run-id";

    /// <summary>The annotations in a fixed order; a null value removes what an earlier event left there.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Annotations() =>
    [
        new(EventIdAnnotation, EventId.ToString()),
        new(RepositoryAnnotation, Repository),
        new(ShaAnnotation, Sha),
        new(RunIdAnnotation, RunId),
    ];

    /// <summary>The same facts in one line, for the Event message.</summary>
    public string Describe() =>
        $"event {EventId} from {Repository ?? "(unknown repository)"} at {Sha ?? "(unknown sha)"}, run {RunId ?? "(unknown)"}";
}
