namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// What became of one matching workload for one event: the one vocabulary of the worker, from the index's decision to
/// skip, through the restart, to the log line, the metric label and the status record (<see cref="WorkloadOutcomeText"/>).
/// </summary>
public enum WorkloadOutcome
{
    /// <summary>Its pod template's <c>restartedAt</c> was patched.</summary>
    Restarted,

    /// <summary>DRY_RUN: it would have been restarted; nothing was patched.</summary>
    DryRun,

    /// <summary>Every matching container is pinned by digest: a restart would pull nothing new.</summary>
    SkippedDigest,

    /// <summary><c>spec.paused</c> is true (Deployments only); kubectl refuses to restart it too.</summary>
    SkippedPaused,

    /// <summary>Annotated <c>kuberollouttrigger.io/ignore: "true"</c>.</summary>
    Ignored,

    /// <summary>The API server answered the PATCH with 403.</summary>
    Forbidden,

    /// <summary>The API server answered the PATCH with 404: the workload is gone.</summary>
    NotFound,

    /// <summary>The PATCH failed in a way a retry may fix; the event is retried. Never final.</summary>
    Failed,

    /// <summary>
    /// Its <c>kuberollouttrigger.io/last-event-id</c> is already this event's: an earlier delivery (a worker that died
    /// after its PATCH, a PATCH that timed out after it was applied) restarted it. Not patched again.
    /// </summary>
    AlreadyRestarted,
}
