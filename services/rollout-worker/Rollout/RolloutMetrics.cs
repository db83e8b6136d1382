using System.Diagnostics.Metrics;
using Kuberollouttrigger.RolloutWorker.Kubernetes;

namespace Kuberollouttrigger.RolloutWorker.Rollout;

/// <summary>The worker's own instruments. Labels stay low-cardinality: never an image, tag, repository or workload name (a kind is fine).</summary>
public sealed class RolloutMetrics
{
    public const string MeterName = "Kuberollouttrigger.Worker";

    private readonly Counter<long> _consumed;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _deployments;
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _latency;

    public RolloutMetrics(IMeterFactory meterFactory, IWorkloadIndex index)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(index);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("kuberollouttrigger.index.deployments", () => CountByKind(index), "{workload}", "Workloads in the worker's index, by kind");
        meter.CreateObservableGauge("kuberollouttrigger.index.synced", () => index.IsSynced ? 1 : 0, "{state}", "1 once the index finished its first list");
        _consumed = meter.CreateCounter<long>("kuberollouttrigger.events.consumed", "{event}", "Events the consumer handled to the end");
        _duplicates = meter.CreateCounter<long>("kuberollouttrigger.events.duplicates", "{event}", "Deliveries skipped because another delivery of the event was handled");
        _rejected = meter.CreateCounter<long>("kuberollouttrigger.events.invalid", "{event}", "Messages refused by the worker's own validation");
        _deployments = meter.CreateCounter<long>("kuberollouttrigger.deployments", "{workload}", "Matched workloads by kind and outcome");
        _retries = meter.CreateCounter<long>("kuberollouttrigger.events.retries", "{attempt}", "Consumer attempts that were retries");
        _latency = meter.CreateHistogram<double>("kuberollouttrigger.event_to_restart.duration", "s", "Time from the ingress accepting an event to a workload restarted");
    }

    public void Consumed() => _consumed.Add(1);

    public void DuplicateSkipped() => _duplicates.Add(1);

    public void Invalid() => _rejected.Add(1);

    public void Retry() => _retries.Add(1);

    public void Workload(WorkloadKind kind, string outcome)
    {
        ArgumentNullException.ThrowIfNull(kind);
        _deployments.Add(1, new KeyValuePair<string, object?>("kind", kind.Label), new KeyValuePair<string, object?>("outcome", outcome));
    }

    private static IEnumerable<Measurement<int>> CountByKind(IWorkloadIndex index) =>
        index.CountByKind().Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("kind", c.Key.Label)));

    public void EventToRestart(TimeSpan elapsed) => _latency.Record(elapsed.TotalSeconds);
}
