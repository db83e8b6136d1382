using System.Threading.Channels;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Rollouts;

/// <summary>
/// The status of the events this replica handles, until each is final: every change makes a new record, queued for
/// <see cref="StatusWriter"/> in order. Final events are forgotten; events left unfinished are pruned after the TTL.
/// </summary>
public sealed class EventStatusBook(TimeProvider time, IOptions<StatusOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, EventStatus> _events = [];
    private readonly Channel<EventStatus> _writes = Channel.CreateUnbounded<EventStatus>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<EventStatus> Writes => _writes.Reader;

    public void Received(Guid eventId, ImageUpdated message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            foreach (var stale in _events.Where(e => e.Value.UpdatedAt < now - options.Value.Ttl).Select(e => e.Key).ToList())
                _events.Remove(stale);
            var status = _events.TryGetValue(eventId, out var known)
                ? known with { UpdatedAt = now }
                : new EventStatus(eventId, EventStates.Received, message.TriggeredBy?.Repository, message.TriggeredBy?.Sha, message.Image, message.Tags, [], now);
            Save(status);
        }
    }

    /// <summary>Every matching workload has its outcome; the restarted ones may still be rolling out. <paramref name="reason"/> says why nothing matched.</summary>
    public void Handled(Guid eventId, IReadOnlyList<WorkloadStatus> workloads, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        lock (_gate)
        {
            if (_events.TryGetValue(eventId, out var status))
                Save(status with { State = EventStates.Of(workloads), Workloads = workloads, Reason = reason, UpdatedAt = time.GetUtcNow() });
        }
    }

    public void RolloutChanged(Guid eventId, WorkloadKey workload, WorkloadRollout rollout)
    {
        ArgumentNullException.ThrowIfNull(workload);
        lock (_gate)
        {
            if (!_events.TryGetValue(eventId, out var status))
                return;
            var workloads = status.Workloads
                .Select(w => w.Kind == workload.Kind.Kind && w.Namespace == workload.Namespace && w.Name == workload.Name ? w with { Rollout = rollout } : w)
                .ToList();
            Save(status with { State = EventStates.Of(workloads), Workloads = workloads, UpdatedAt = time.GetUtcNow() });
        }
    }

    /// <summary>The worker gave up on the event (its retries are spent): failed, with what was known of its workloads.</summary>
    public void GaveUp(Guid eventId, string reason)
    {
        lock (_gate)
        {
            if (_events.TryGetValue(eventId, out var status))
                Save(status with { State = EventStates.Failed, Reason = reason, UpdatedAt = time.GetUtcNow() });
        }
    }

    private void Save(EventStatus status)
    {
        if (EventStates.IsFinal(status.State))
            _events.Remove(status.EventId);
        else
            _events[status.EventId] = status;
        _writes.Writer.TryWrite(status);
    }
}
