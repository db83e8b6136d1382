using k8s.Models;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Rollouts;

namespace Kuberollouttrigger.UnitTests.Progress;

public sealed class DeploymentRolloutTests
{
    [Fact]
    public void Complete_when_observed_updated_available_and_NewReplicaSetAvailable()
    {
        var check = DeploymentRollout.Check(Deployment(generation: 3, observed: 3, replicas: 2, updated: 2, total: 2, available: 2, reason: "NewReplicaSetAvailable"));

        Assert.Equal(new WorkloadRollout(RolloutStates.Complete, "NewReplicaSetAvailable"), check);
    }

    [Fact]
    public void Progressing_while_the_controller_has_not_observed_the_generation()
    {
        var check = DeploymentRollout.Check(Deployment(generation: 4, observed: 3, replicas: 2, updated: 2, total: 2, available: 2, reason: "NewReplicaSetAvailable"));

        Assert.Equal(RolloutStates.Progressing, check.State);
    }

    [Theory]
    [InlineData(1, 2, 2)]
    [InlineData(2, 3, 2)]
    [InlineData(2, 2, 1)]
    public void Progressing_until_every_replica_is_updated_old_ones_are_gone_and_all_are_available(int updated, int total, int available)
    {
        var check = DeploymentRollout.Check(Deployment(generation: 2, observed: 2, replicas: 2, updated: updated, total: total, available: available, reason: "ReplicaSetUpdated"));

        Assert.Equal(RolloutStates.Progressing, check.State);
    }

    [Fact]
    public void Progressing_when_the_counts_are_right_but_the_condition_is_not_NewReplicaSetAvailable_yet()
    {
        var check = DeploymentRollout.Check(Deployment(generation: 2, observed: 2, replicas: 1, updated: 1, total: 1, available: 1, reason: "ReplicaSetUpdated"));

        Assert.Equal(RolloutStates.Progressing, check.State);
    }

    [Fact]
    public void Failed_on_ProgressDeadlineExceeded_with_the_controller_message()
    {
        var check = DeploymentRollout.Check(Deployment(generation: 2, observed: 2, replicas: 1, updated: 1, total: 2, available: 0, reason: "ProgressDeadlineExceeded", message: "ReplicaSet \"web-1\" has timed out progressing."));

        Assert.Equal(RolloutStates.Failed, check.State);
        Assert.Equal("ProgressDeadlineExceeded: ReplicaSet \"web-1\" has timed out progressing.", check.Reason);
    }

    [Fact]
    public void Missing_replicas_means_one_and_missing_status_means_progressing()
    {
        var deployment = Deployment(generation: 1, observed: 1, replicas: 1, updated: 1, total: 1, available: 1, reason: "NewReplicaSetAvailable");
        deployment.Spec.Replicas = null;
        Assert.Equal(RolloutStates.Complete, DeploymentRollout.Check(deployment).State);

        deployment.Status = null;
        Assert.Equal(RolloutStates.Progressing, DeploymentRollout.Check(deployment).State);
    }

    [Fact]
    public void Observe_names_the_workload_and_carries_its_generation()
    {
        var observation = DeploymentRollout.Observe(Deployment(generation: 7, observed: 7, replicas: 1, updated: 1, total: 1, available: 1, reason: "NewReplicaSetAvailable"));

        Assert.Equal(WorkloadKey.Deployment("shop", "web"), observation.Workload);
        Assert.Equal(7, observation.Generation);
    }

    internal static V1Deployment Deployment(long generation, long observed, int replicas, int updated, int total, int available, string reason, string? message = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop", Generation = generation },
        Spec = new V1DeploymentSpec { Replicas = replicas },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = observed,
            Replicas = total,
            UpdatedReplicas = updated,
            ReadyReplicas = available,
            AvailableReplicas = available,
            Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = reason == "ProgressDeadlineExceeded" ? "False" : "True", Reason = reason, Message = message }],
        },
    };
}
