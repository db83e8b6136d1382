namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>Restarts one workload (Deployment, StatefulSet or DaemonSet) exactly as <c>kubectl rollout restart</c> does.</summary>
public interface IWorkloadRestarter
{
    /// <summary>
    /// Patches <c>spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]</c> and, in the same strategic
    /// merge patch, the workload's own audit annotations from <paramref name="audit"/> (field manager <c>kuberollouttrigger</c>).
    /// Returns <see cref="WorkloadOutcome.Restarted"/>, <see cref="WorkloadOutcome.DryRun"/>, or for 403 and 404
    /// <see cref="WorkloadOutcome.Forbidden"/> and <see cref="WorkloadOutcome.NotFound"/>; 429 is retried here after its Retry-After (bounded); a failure that a later
    /// attempt may fix (429 still, 5xx, timeout, connection error) throws <see cref="TransientKubernetesException"/>.
    /// </summary>
    Task<WorkloadOutcome> RestartAsync(WorkloadKey workload, RestartAudit audit, CancellationToken cancellationToken);

    /// <summary>
    /// True when <paramref name="eventId"/> already restarted the workload: its <c>kuberollouttrigger.io/last-event-id</c>
    /// says so, in the index's copy (<see cref="WorkloadMatch.LastEventId"/>) or, when <paramref name="indexMayBeStale"/>
    /// (a redelivery or a retry, which another delivery's PATCH may have preceded) and the copy does not, in the workload
    /// read now with one GET. A failure a later attempt may fix throws <see cref="TransientKubernetesException"/>.
    /// </summary>
    Task<bool> AlreadyRestartedAsync(WorkloadMatch match, Guid eventId, bool indexMayBeStale, CancellationToken cancellationToken);
}
