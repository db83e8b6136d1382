namespace Kuberollouttrigger.Contracts.Status;

/// <summary>The states of an event. <see cref="Done"/>, <see cref="NoMatch"/> and <see cref="Failed"/> are final.</summary>
public static class EventStates
{
    /// <summary>Written by the ingress's answer only: published, and no worker has reported yet.</summary>
    public const string Published = "published";

    /// <summary>A worker took the event and is matching it.</summary>
    public const string Received = "received";

    /// <summary>Restarts are done or in flight, or rollouts are still progressing.</summary>
    public const string Processing = "processing";

    /// <summary>Every matching workload was restarted and rolled out, or skipped.</summary>
    public const string Done = "done";

    /// <summary>No workload in the watched namespaces uses the image with one of the tags.</summary>
    public const string NoMatch = "no-match";

    /// <summary>A restart or a rollout failed (or timed out), or the event could not be handled.</summary>
    public const string Failed = "failed";

    public static bool IsFinal(string state) => state is Done or NoMatch or Failed;

    /// <summary>
    /// The state an event is in once its workloads are known: <see cref="NoMatch"/> without workloads, otherwise
    /// <see cref="Processing"/> until every workload is final, then <see cref="Failed"/> when any failed, else <see cref="Done"/>.
    /// </summary>
    public static string Of(IReadOnlyCollection<WorkloadStatus> workloads)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        if (workloads.Count == 0)
            return NoMatch;
        if (workloads.Any(w => w.Rollout is { IsFinal: false }))
            return Processing;
        return workloads.Any(w => w.Outcome == WorkloadOutcomes.Failed || w.Rollout?.State is RolloutStates.Failed or RolloutStates.TimedOut)
            ? Failed
            : Done;
    }
}
