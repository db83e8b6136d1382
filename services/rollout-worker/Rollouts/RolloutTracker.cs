using Kuberollouttrigger.Contracts.Status;
using System.Diagnostics;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Rollouts;

/// <summary>
/// The rollouts being followed, of any kind. Watches hand in what they see of tracked workloads
/// (<see cref="IsTracking"/>, then <see cref="Observe"/> with the kind's pure rule); the first final observation at
/// or after the target generation, or the rollout timeout, ends the rollout and goes to the event's status record.
/// </summary>
public sealed partial class RolloutTracker(EventStatusBook book, IOptions<ProgressOptions> options, TimeProvider time, ILogger<RolloutTracker> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<WorkloadKey, List<FollowedRollout>> _tracked = [];
    private volatile int _count;

    public int Count => _count;

    public bool IsTracking(WorkloadKey workload)
    {
        if (_count == 0)
            return false;
        lock (_gate)
            return _tracked.ContainsKey(workload);
    }

    /// <summary>Starts following before the target generation is read, so no watch event in between is lost.</summary>
    public FollowedRollout Expect(Guid eventId, WorkloadKey workload)
    {
        var followed = new FollowedRollout(eventId, workload);
        var timeout = options.Value.RolloutTimeout;
        lock (_gate)
        {
            if (!_tracked.TryGetValue(workload, out var list))
                _tracked[workload] = list = [];
            list.Add(followed);
            _count++;
            followed.Deadline = time.CreateTimer(_ => Finish(followed, new WorkloadRollout(RolloutStates.TimedOut,
                $"not complete within {timeout.TotalSeconds:0} s (ROLLOUT_TIMEOUT)")), null, timeout, Timeout.InfiniteTimeSpan);
        }
        return followed;
    }

    /// <summary>The restart produced <paramref name="target"/>; judges <paramref name="current"/> and what was seen meanwhile.</summary>
    public void Start(FollowedRollout followed, long target, RolloutObservation current)
    {
        ArgumentNullException.ThrowIfNull(followed);
        ArgumentNullException.ThrowIfNull(current);
        RolloutObservation? early;
        lock (_gate)
        {
            followed.Target = target;
            early = followed.Early;
            followed.Early = null;
        }
        foreach (var observation in new[] { current, early })
        {
            if (observation is not null && observation.Generation >= target && observation.Check.IsFinal)
            {
                Finish(followed, observation.Check);
                return;
            }
        }
    }

    public void Observe(RolloutObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        List<FollowedRollout> finished = [];
        lock (_gate)
        {
            if (!_tracked.TryGetValue(observation.Workload, out var list))
                return;
            foreach (var followed in list)
            {
                if (followed.Target is null)
                {
                    if (followed.Early is not { Check.IsFinal: true } || observation.Check.IsFinal)
                        followed.Early = observation;
                }
                else if (observation.Generation >= followed.Target && observation.Check.IsFinal)
                {
                    finished.Add(followed);
                }
            }
        }
        foreach (var followed in finished)
            Finish(followed, observation.Check);
    }

    /// <summary>The workload is gone: its rollouts cannot complete.</summary>
    public void Deleted(WorkloadKey workload)
    {
        List<FollowedRollout> gone;
        lock (_gate)
            gone = _tracked.TryGetValue(workload, out var list) ? [.. list] : [];
        foreach (var followed in gone)
            Finish(followed, new WorkloadRollout(RolloutStates.Failed, "deleted while rolling out"));
    }

    /// <summary>Ends a rollout once; later calls for it do nothing.</summary>
    public void Finish(FollowedRollout followed, WorkloadRollout result)
    {
        ArgumentNullException.ThrowIfNull(followed);
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            if (followed.Finished)
                return;
            followed.Finished = true;
            if (_tracked.TryGetValue(followed.Workload, out var list) && list.Remove(followed) && list.Count == 0)
                _tracked.Remove(followed.Workload);
            _count--;
        }
        followed.Deadline?.Dispose();
        using var activity = followed.Trace == default ? null : WorkerTelemetry.Source.StartActivity("rollout " + result.State, ActivityKind.Internal, followed.Trace);
        LogFinished(logger, result.State == RolloutStates.Complete ? LogLevel.Information : LogLevel.Warning, followed.EventId, followed.Workload.Kind.Label,
            followed.Workload.Namespace, followed.Workload.Name, result.State, result.Reason ?? "");
        book.RolloutChanged(followed.EventId, followed.Workload, result);
    }

    [LoggerMessage(EventId = 600, Message = "Event {EventId}: rollout of {Kind} {Namespace}/{Name} {State}: {Reason}")]
    private static partial void LogFinished(ILogger logger, LogLevel level, Guid eventId, string kind, string @namespace, string name, string state, string reason);
}
