using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Rollouts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.UnitTests.Progress;

public sealed class RolloutTrackerTests
{
    private static readonly WorkloadKey Web = WorkloadKey.Deployment("shop", "web");
    private readonly ManualTimeProvider _time = new();
    private readonly EventStatusBook _book;
    private readonly RolloutTracker _tracker;
    private readonly Guid _eventId = Guid.NewGuid();

    public RolloutTrackerTests()
    {
        _book = new EventStatusBook(_time, Options.Create(new StatusOptions()));
        _tracker = new RolloutTracker(_book, Options.Create(new ProgressOptions()), _time, NullLogger<RolloutTracker>.Instance);
        _book.Received(_eventId, new ImageUpdated(_eventId, "ghcr.io/acme/app", ["dev"], null, default));
        _book.Handled(_eventId, [new WorkloadStatus("shop", "Deployment", "web", WorkloadOutcomes.Restarted, "patched", new WorkloadRollout(RolloutStates.Progressing, "restarted"))]);
    }

    [Fact]
    public void Completes_on_the_first_final_observation_at_or_after_the_target_generation()
    {
        var followed = _tracker.Expect(_eventId, Web);
        _tracker.Start(followed, 3, Observation(3, RolloutStates.Progressing));
        _tracker.Observe(Observation(2, RolloutStates.Complete));
        Assert.True(_tracker.IsTracking(Web));

        _tracker.Observe(Observation(3, RolloutStates.Complete));

        Assert.False(_tracker.IsTracking(Web));
        Assert.Equal(EventStates.Done, LastWritten().State);
        Assert.True(_time.Timers.Single().Disposed);
    }

    [Fact]
    public void Final_observation_seen_while_the_target_was_read_is_not_lost()
    {
        var followed = _tracker.Expect(_eventId, Web);
        _tracker.Observe(Observation(4, RolloutStates.Failed));
        _tracker.Observe(Observation(4, RolloutStates.Progressing));

        _tracker.Start(followed, 4, Observation(4, RolloutStates.Progressing));

        Assert.False(_tracker.IsTracking(Web));
        Assert.Equal(EventStates.Failed, LastWritten().State);
    }

    [Fact]
    public void Pre_restart_observation_does_not_count_for_the_new_generation()
    {
        var followed = _tracker.Expect(_eventId, Web);
        _tracker.Observe(Observation(1, RolloutStates.Complete));

        _tracker.Start(followed, 2, Observation(2, RolloutStates.Progressing));

        Assert.True(_tracker.IsTracking(Web));
    }

    [Fact]
    public void Timeout_records_timed_out_and_a_later_observation_changes_nothing()
    {
        var followed = _tracker.Expect(_eventId, Web);
        _tracker.Start(followed, 2, Observation(2, RolloutStates.Progressing));

        _time.Timers.Single().Fire();
        _tracker.Observe(Observation(2, RolloutStates.Complete));

        var written = LastWritten();
        Assert.Equal(EventStates.Failed, written.State);
        Assert.Equal(RolloutStates.TimedOut, written.Workloads.Single().Rollout!.State);
    }

    [Fact]
    public void Deleted_workload_fails_its_rollout()
    {
        var followed = _tracker.Expect(_eventId, Web);
        _tracker.Start(followed, 2, Observation(2, RolloutStates.Progressing));

        _tracker.Deleted(Web);

        Assert.Equal("deleted while rolling out", LastWritten().Workloads.Single().Rollout!.Reason);
    }

    private static RolloutObservation Observation(long generation, string state) => new(Web, generation, new WorkloadRollout(state, state));

    private EventStatus LastWritten()
    {
        EventStatus? last = null;
        while (_book.Writes.TryRead(out var status))
            last = status;
        return last!;
    }
}
