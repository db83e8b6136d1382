using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Progress;
using Kuberollouttrigger.RolloutWorker.Rollout;

namespace Kuberollouttrigger.RolloutWorker.Status;

/// <summary>The consumer's side of the status record: received, then every outcome, then the restarted ones followed.</summary>
public sealed class EventStatusReporter(EventStatusBook book, IRolloutFollower follower)
{
    public const string DeploymentKind = "Deployment";

    public void Received(Guid eventId, ImageUpdated message) => book.Received(eventId, message);

    public async Task HandledAsync(Guid eventId, IEnumerable<DeploymentOutcome> outcomes, CancellationToken cancellationToken)
    {
        var sorted = outcomes.OrderBy(o => o.Deployment.Namespace, StringComparer.Ordinal).ThenBy(o => o.Deployment.Name, StringComparer.Ordinal).ToList();
        book.Handled(eventId, [.. sorted.Select(ToStatus)]);
        var restarted = sorted.Where(o => o.Outcome == DeploymentOutcome.Restarted && follower.Follows);
        await Task.WhenAll(restarted.Select(o => follower.FollowAsync(eventId, o.Deployment, cancellationToken)));
    }

    private WorkloadStatus ToStatus(DeploymentOutcome outcome)
    {
        var (result, rollout) = outcome.Outcome switch
        {
            DeploymentOutcome.Restarted => (WorkloadOutcomes.Restarted, follower.Follows ? new WorkloadRollout(RolloutStates.Progressing, "restarted") : null),
            DeploymentOutcome.Forbidden or DeploymentOutcome.NotFound or DeploymentOutcome.Failed => (WorkloadOutcomes.Failed, null),
            _ => (WorkloadOutcomes.Skipped, (WorkloadRollout?)null),
        };
        return new WorkloadStatus(outcome.Deployment.Namespace, DeploymentKind, outcome.Deployment.Name, result, outcome.Reason, rollout);
    }
}
