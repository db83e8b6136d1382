using System.Collections.Concurrent;
using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.IntegrationTests.Worker;

/// <summary>A stand-in for the Kubernetes side of the consumer: answers per Deployment from a script and records every call.</summary>
public sealed class ScriptedRestarter : IWorkloadRestarter
{
    private readonly ConcurrentDictionary<WorkloadKey, ConcurrentQueue<Func<WorkloadOutcome>>> _scripts = new();

    public ConcurrentQueue<WorkloadKey> Calls { get; } = new();

    public ConcurrentQueue<RestartAudit> Audits { get; } = new();

    /// <summary>How long each restart takes; with it, tests see which restarts overlapped.</summary>
    public TimeSpan Delay { get; set; }

    public ConcurrentQueue<(WorkloadKey Workload, DateTime Started, DateTime Ended)> Timeline { get; } = new();

    public void Script(WorkloadKey deployment, params Func<WorkloadOutcome>[] answers) =>
        _scripts[deployment] = new ConcurrentQueue<Func<WorkloadOutcome>>(answers);

    public int CallsFor(WorkloadKey deployment) => Calls.Count(c => c == deployment);

    public async Task<WorkloadOutcome> RestartAsync(WorkloadKey workload, RestartAudit audit, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        Calls.Enqueue(workload);
        Audits.Enqueue(audit);
        if (Delay > TimeSpan.Zero)
            await Task.Delay(Delay, cancellationToken);
        Timeline.Enqueue((workload, started, DateTime.UtcNow));
        if (_scripts.TryGetValue(workload, out var answers) && answers.TryDequeue(out var answer))
            return answer();
        return WorkloadOutcome.Restarted;
    }
}
