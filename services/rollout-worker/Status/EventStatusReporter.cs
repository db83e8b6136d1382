using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Progress;
using Kuberollouttrigger.RolloutWorker.Rollout;

namespace Kuberollouttrigger.RolloutWorker.Status;

/// <summary>The consumer's side of the status record: received, then every outcome, then the restarted ones followed.</summary>
public sealed class EventStatusReporter(EventStatusBook book, IRolloutFollower follower)
{
    public void Received(Guid eventId, ImageUpdated message) => book.Received(eventId, message);

    public async Task HandledAsync(Guid eventId, IEnumerable<WorkloadOutcome> outcomes, CancellationToken cancellationToken)
    {
        var sorted = outcomes.OrderBy(o => o.Workload.Namespace, StringComparer.Ordinal).ThenBy(o => o.Workload.Kind.Kind, StringComparer.Ordinal)
            .ThenBy(o => o.Workload.Name, StringComparer.Ordinal).ToList();
        book.Handled(eventId, [.. sorted.Select(ToStatus)]);
        var restarted = sorted.Where(o => o.Outcome == WorkloadOutcome.Restarted && follower.Follows);
        await Task.WhenAll(restarted.Select(o => follower.FollowAsync(eventId, o.Workload, cancellationToken)));
    }

    private WorkloadStatus ToStatus(WorkloadOutcome outcome)
    {
        var (result, rollout) = outcome.Outcome switch
        {
            WorkloadOutcome.Restarted => (WorkloadOutcomes.Restarted, follower.Follows ? new WorkloadRollout(RolloutStates.Progressing, "restarted") : null),
            WorkloadOutcome.Forbidden or WorkloadOutcome.NotFound or WorkloadOutcome.Failed => (WorkloadOutcomes.Failed, null),
            _ => (WorkloadOutcomes.Skipped, (WorkloadRollout?)null),
        };
        return new WorkloadStatus(outcome.Workload.Namespace, outcome.Workload.Kind.Kind, outcome.Workload.Name, result, outcome.Reason, rollout);
    }
}
