using k8s.Models;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Rollouts;

namespace Kuberollouttrigger.UnitTests.Progress;

public sealed class DaemonSetRolloutTests
{
    [Fact]
    public void Complete_when_observed_and_every_desired_pod_is_updated_and_available()
    {
        var check = DaemonSetRollout.Check(DaemonSet(generation: 5, observed: 5, desired: 4, updated: 4, available: 4));

        Assert.Equal(RolloutStates.Complete, check.State);
    }

    [Theory]
    [InlineData(4, 4, 4)]
    [InlineData(5, 3, 4)]
    [InlineData(5, 4, 3)]
    public void Progressing_until_every_rule_holds(long observed, int updated, int available)
    {
        var check = DaemonSetRollout.Check(DaemonSet(generation: 5, observed: observed, desired: 4, updated: updated, available: available));

        Assert.Equal(RolloutStates.Progressing, check.State);
    }

    [Fact]
    public void No_node_to_run_on_is_complete_once_observed()
    {
        Assert.Equal(RolloutStates.Complete, DaemonSetRollout.Check(DaemonSet(generation: 2, observed: 2, desired: 0, updated: 0, available: 0)).State);
    }

    private static V1DaemonSet DaemonSet(long generation, long observed, int desired, int updated, int available) => new()
    {
        Metadata = new V1ObjectMeta { Name = "agent", NamespaceProperty = "ops", Generation = generation },
        Status = new V1DaemonSetStatus { ObservedGeneration = observed, DesiredNumberScheduled = desired, UpdatedNumberScheduled = updated, NumberAvailable = available },
    };
}
