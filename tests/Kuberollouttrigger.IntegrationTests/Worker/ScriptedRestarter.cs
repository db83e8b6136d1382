using System.Collections.Concurrent;
using Kuberollouttrigger.RolloutWorker.Kubernetes;

namespace Kuberollouttrigger.IntegrationTests.Worker;

/// <summary>A stand-in for the Kubernetes side of the consumer: answers per Deployment from a script and records every call.</summary>
public sealed class ScriptedRestarter : IWorkloadRestarter
{
    private readonly ConcurrentDictionary<WorkloadKey, ConcurrentQueue<Func<RestartOutcome>>> _scripts = new();

    public ConcurrentQueue<WorkloadKey> Calls { get; } = new();

    /// <summary>How long each restart takes; with it, tests see which restarts overlapped.</summary>
    public TimeSpan Delay { get; set; }

    public ConcurrentQueue<(WorkloadKey Workload, DateTime Started, DateTime Ended)> Timeline { get; } = new();

    public void Script(WorkloadKey deployment, params Func<RestartOutcome>[] answers) =>
        _scripts[deployment] = new ConcurrentQueue<Func<RestartOutcome>>(answers);

    public int CallsFor(WorkloadKey deployment) => Calls.Count(c => c == deployment);

    public async Task<RestartOutcome> RestartAsync(WorkloadKey deployment, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        Calls.Enqueue(deployment);
        if (Delay > TimeSpan.Zero)
            await Task.Delay(Delay, cancellationToken);
        Timeline.Enqueue((deployment, started, DateTime.UtcNow));
        if (_scripts.TryGetValue(deployment, out var answers) && answers.TryDequeue(out var answer))
            return answer();
        return RestartOutcome.Restarted;
    }
}
