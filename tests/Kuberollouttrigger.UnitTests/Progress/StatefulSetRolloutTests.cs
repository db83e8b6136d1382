using k8s.Models;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Rollouts;

namespace Kuberollouttrigger.UnitTests.Progress;

public sealed class StatefulSetRolloutTests
{
    [Fact]
    public void Complete_when_observed_every_replica_updated_and_ready_and_current_revision_is_the_update_revision()
    {
        var check = StatefulSetRollout.Check(StatefulSet(generation: 2, observed: 2, updated: 3, ready: 3, current: "db-2", update: "db-2"));

        Assert.Equal(RolloutStates.Complete, check.State);
    }

    [Theory]
    [InlineData(1, 3, 3, "db-2", "db-2")]
    [InlineData(2, 2, 3, "db-2", "db-2")]
    [InlineData(2, 3, 2, "db-2", "db-2")]
    [InlineData(2, 3, 3, "db-1", "db-2")]
    public void Progressing_until_every_rule_holds(long observed, int updated, int ready, string current, string update)
    {
        var check = StatefulSetRollout.Check(StatefulSet(generation: 2, observed: observed, updated: updated, ready: ready, current: current, update: update));

        Assert.Equal(RolloutStates.Progressing, check.State);
    }

    private static V1StatefulSet StatefulSet(long generation, long observed, int updated, int ready, string current, string update) => new()
    {
        Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "shop", Generation = generation },
        Spec = new V1StatefulSetSpec { Replicas = 3 },
        Status = new V1StatefulSetStatus { ObservedGeneration = observed, Replicas = 3, UpdatedReplicas = updated, ReadyReplicas = ready, CurrentRevision = current, UpdateRevision = update },
    };
}
