using System.Diagnostics.Metrics;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Telemetry;

namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>
/// The consumer pipeline's instruments. Labels stay low-cardinality: never an image, tag, repository or workload name
/// (a kind is fine). <c>kuberollouttrigger.deployments</c> is the deprecated name of <c>kuberollouttrigger.workloads</c>,
/// counted beside it for one release.
/// </summary>
public sealed class ConsumerMetrics
{
    private readonly Counter<long> _consumed;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _invalid;
    private readonly Counter<long> _workloads;
    private readonly Counter<long> _deprecatedDeployments;
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _latency;

    public ConsumerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(WorkerTelemetry.MeterName);
        _consumed = meter.CreateCounter<long>("kuberollouttrigger.events.consumed", "{event}", "Events the consumer handled to the end");
        _duplicates = meter.CreateCounter<long>("kuberollouttrigger.events.duplicates", "{event}", "Deliveries skipped because another delivery of the event was handled");
        _invalid = meter.CreateCounter<long>("kuberollouttrigger.events.invalid", "{event}", "Messages refused by the worker's own validation");
        _workloads = meter.CreateCounter<long>("kuberollouttrigger.workloads", "{workload}", "Matched workloads by kind and outcome");
        _deprecatedDeployments = meter.CreateCounter<long>("kuberollouttrigger.deployments", "{workload}",
            "Deprecated: use kuberollouttrigger.workloads (the same counts; removed in the next release)");
        _retries = meter.CreateCounter<long>("kuberollouttrigger.events.retries", "{attempt}", "Consumer attempts that were retries");
        _latency = meter.CreateHistogram<double>("kuberollouttrigger.event_to_restart.duration", "s", "Time from the ingress accepting an event to a workload restarted");
    }

    public void Consumed() => _consumed.Add(1);

    public void DuplicateSkipped() => _duplicates.Add(1);

    public void Invalid() => _invalid.Add(1);

    public void Retry() => _retries.Add(1);

    public void Workload(WorkloadKind kind, WorkloadOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(kind);
        KeyValuePair<string, object?>[] labels = [new("kind", kind.Label), new("outcome", outcome.Label())];
        _workloads.Add(1, labels);
        _deprecatedDeployments.Add(1, labels);
    }

    public void EventToRestart(TimeSpan elapsed) => _latency.Record(elapsed.TotalSeconds);
}
