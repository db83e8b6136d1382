using Kuberollouttrigger.Contracts.Status;

namespace Kuberollouttrigger.UnitTests.Progress;

public sealed class EventStatesTests
{
    private static WorkloadStatus Restarted(string rollout) => new("shop", "Deployment", "web", WorkloadOutcomes.Restarted, null, new WorkloadRollout(rollout, null));

    private static WorkloadStatus Skipped() => new("shop", "Deployment", "pinned", WorkloadOutcomes.Skipped, "pinned", null);

    private static WorkloadStatus Failed() => new("shop", "Deployment", "locked", WorkloadOutcomes.Failed, "the API server answered 403", null);

    [Fact]
    public void No_workload_is_no_match() => Assert.Equal(EventStates.NoMatch, EventStates.Of([]));

    [Fact]
    public void A_progressing_rollout_keeps_the_event_processing_even_beside_a_failure() =>
        Assert.Equal(EventStates.Processing, EventStates.Of([Restarted(RolloutStates.Progressing), Failed()]));

    [Fact]
    public void Complete_and_skipped_is_done() =>
        Assert.Equal(EventStates.Done, EventStates.Of([Restarted(RolloutStates.Complete), Skipped()]));

    [Theory]
    [InlineData(RolloutStates.Failed)]
    [InlineData(RolloutStates.TimedOut)]
    public void A_failed_or_timed_out_rollout_fails_the_event(string rollout) =>
        Assert.Equal(EventStates.Failed, EventStates.Of([Restarted(RolloutStates.Complete), Restarted(rollout)]));

    [Fact]
    public void A_failed_restart_fails_the_event() => Assert.Equal(EventStates.Failed, EventStates.Of([Skipped(), Failed()]));

    [Fact]
    public void Json_round_trips_camel_case_without_nulls()
    {
        var status = new EventStatus(Guid.NewGuid(), EventStates.Done, "acme/app", null, "ghcr.io/acme/app", ["dev"], [Skipped()], DateTimeOffset.UnixEpoch);

        var json = System.Text.Encoding.UTF8.GetString(EventStatusJson.Serialize(status));

        Assert.DoesNotContain("\"sha\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("isFinal", json, StringComparison.Ordinal);
        Assert.Contains("\"workloads\":[{\"namespace\":\"shop\",\"kind\":\"Deployment\",\"name\":\"pinned\",\"outcome\":\"skipped\"", json, StringComparison.Ordinal);
        var back = EventStatusJson.Deserialize(EventStatusJson.Serialize(status))!;
        Assert.Equal(status.EventId, back.EventId);
        Assert.Equal(status.Workloads, back.Workloads);
        Assert.Null(EventStatusJson.Deserialize("not json"u8));
    }
}
