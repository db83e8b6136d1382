using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.UnitTests.Worker;

public sealed class WorkloadOutcomeTextTests
{
    [Fact]
    public void Every_outcome_maps_to_one_label_one_reason_and_one_status_outcome_of_the_contract()
    {
        var outcomes = Enum.GetValues<WorkloadOutcome>();

        Assert.Equal(["restarted", "dry-run", "skipped-digest", "skipped-paused", "ignored", "forbidden", "not-found", "failed", "already-restarted"], outcomes.Select(o => o.Label()));
        Assert.Equal(outcomes.Length, outcomes.Select(o => o.Reason()).Distinct().Count());
        Assert.All(outcomes, o => Assert.Contains(o.StatusOutcome(), new[] { WorkloadOutcomes.Restarted, WorkloadOutcomes.Skipped, WorkloadOutcomes.Failed }));
        Assert.Equal(WorkloadOutcomes.Restarted, WorkloadOutcome.Restarted.StatusOutcome());
        Assert.Equal(WorkloadOutcomes.Restarted, WorkloadOutcome.AlreadyRestarted.StatusOutcome());
        Assert.Equal([WorkloadOutcome.Restarted, WorkloadOutcome.AlreadyRestarted], outcomes.Where(o => o.IsRestartByThisEvent()));
        Assert.Equal(WorkloadOutcomes.Skipped, WorkloadOutcome.DryRun.StatusOutcome());
        Assert.Equal(WorkloadOutcomes.Failed, WorkloadOutcome.Forbidden.StatusOutcome());
        Assert.Equal([WorkloadOutcome.Failed], outcomes.Where(o => !o.IsFinal()));
    }
}
