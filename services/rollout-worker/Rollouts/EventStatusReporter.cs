using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.RolloutWorker.Rollouts;

/// <summary>The consumer's side of the status record: received, then every result, then the restarted ones followed.</summary>
public sealed class EventStatusReporter(EventStatusBook book, IRolloutFollower follower)
{
    public void Received(Guid eventId, ImageUpdated message) => book.Received(eventId, message);

    /// <param name="noMatch">Why nothing matched, when nothing did: the record's <c>reason</c>.</param>
    public async Task HandledAsync(Guid eventId, IEnumerable<WorkloadResult> results, string? noMatch, CancellationToken cancellationToken)
    {
        var sorted = results.OrderBy(r => r.Workload.Namespace, StringComparer.Ordinal).ThenBy(r => r.Workload.Kind.Kind, StringComparer.Ordinal)
            .ThenBy(r => r.Workload.Name, StringComparer.Ordinal).ToList();
        book.Handled(eventId, [.. sorted.Select(ToStatus)], noMatch);
        var restarted = sorted.Where(r => r.Outcome.IsRestartByThisEvent() && follower.Follows);
        await Task.WhenAll(restarted.Select(r => follower.FollowAsync(eventId, r.Workload, cancellationToken)));
    }

    private WorkloadStatus ToStatus(WorkloadResult result)
    {
        var rollout = result.Outcome.IsRestartByThisEvent() && follower.Follows ? new WorkloadRollout(RolloutStates.Progressing, "restarted") : null;
        return new WorkloadStatus(result.Workload.Namespace, result.Workload.Kind.Kind, result.Workload.Name, result.Outcome.StatusOutcome(), result.Reason, rollout);
    }
}
