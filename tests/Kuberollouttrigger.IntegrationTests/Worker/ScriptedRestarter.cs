using System.Collections.Concurrent;
using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.IntegrationTests.Worker;

/// <summary>A stand-in for the Kubernetes side of the consumer: answers per Deployment from a script and records every call.</summary>
public sealed class ScriptedRestarter : IWorkloadRestarter
{
    private static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<WorkloadKey, ConcurrentQueue<Func<WorkloadOutcome>>> _scripts = new();
    private readonly ConcurrentDictionary<WorkloadKey, TaskCompletionSource> _begun = new();
    private (WorkloadKey Held, WorkloadKey Until)? _hold;
    private int _holdTaken;

    public ConcurrentQueue<WorkloadKey> Calls { get; } = new();

    public ConcurrentQueue<RestartAudit> Audits { get; } = new();

    public ConcurrentQueue<(WorkloadKey Workload, DateTime Started, DateTime Ended)> Timeline { get; } = new();

    /// <summary>True when a <see cref="HoldFirst"/> hold ran out before the restart it waited for began.</summary>
    public bool HoldRanOut { get; private set; }

    public void Script(WorkloadKey deployment, params Func<WorkloadOutcome>[] answers) =>
        _scripts[deployment] = new ConcurrentQueue<Func<WorkloadOutcome>>(answers);

    /// <summary>
    /// The first restart of <paramref name="held"/> does not end until a restart of <paramref name="until"/> has begun
    /// (or 20 s passed: <see cref="HoldRanOut"/>), so a test proves two restarts overlapped by a signal, not by timing.
    /// </summary>
    public void HoldFirst(WorkloadKey held, WorkloadKey until) => _hold = (held, until);

    public int CallsFor(WorkloadKey deployment) => Calls.Count(c => c == deployment);

    /// <summary>As the cluster would answer from the index alone: already restarted when the match carries the event.</summary>
    public Task<bool> AlreadyRestartedAsync(WorkloadMatch match, Guid eventId, bool indexMayBeStale, CancellationToken cancellationToken) =>
        Task.FromResult(match?.LastEventId == eventId);

    public async Task<WorkloadOutcome> RestartAsync(WorkloadKey workload, RestartAudit audit, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        Calls.Enqueue(workload);
        Audits.Enqueue(audit);
        Begun(workload).TrySetResult();
        if (_hold is { } hold && hold.Held == workload && Interlocked.Exchange(ref _holdTaken, 1) == 0)
        {
            try
            {
                await Begun(hold.Until).Task.WaitAsync(HoldLimit, cancellationToken);
            }
            catch (TimeoutException)
            {
                HoldRanOut = true;
            }
        }
        Timeline.Enqueue((workload, started, DateTime.UtcNow));
        if (_scripts.TryGetValue(workload, out var answers) && answers.TryDequeue(out var answer))
            return answer();
        return WorkloadOutcome.Restarted;
    }

    private TaskCompletionSource Begun(WorkloadKey workload) =>
        _begun.GetOrAdd(workload, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
