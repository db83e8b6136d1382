using System.Diagnostics.Metrics;
using Kuberollouttrigger.RolloutWorker.Telemetry;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// The cluster side's instruments: the index's size by kind and whether it is synced, and the Kubernetes Events
/// recorded. <c>kuberollouttrigger.index.deployments</c> is the deprecated name of <c>kuberollouttrigger.index.workloads</c>,
/// reported beside it for one release.
/// </summary>
public sealed class ClusterMetrics
{
    private readonly Counter<long> _kubeEvents;

    public ClusterMetrics(IMeterFactory meterFactory, WorkloadIndex index)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(index);
        var meter = meterFactory.Create(WorkerTelemetry.MeterName);
        meter.CreateObservableGauge("kuberollouttrigger.index.workloads", () => CountByKind(index), "{workload}", "Workloads in the worker's index, by kind");
        meter.CreateObservableGauge("kuberollouttrigger.index.deployments", () => CountByKind(index), "{workload}",
            "Deprecated: use kuberollouttrigger.index.workloads (the same value; removed in the next release)");
        meter.CreateObservableGauge("kuberollouttrigger.index.synced", () => index.IsSynced ? 1 : 0, "{state}", "1 once the index finished its first list");
        _kubeEvents = meter.CreateCounter<long>("kuberollouttrigger.kube_events", "{event}", "Kubernetes Events the worker tried to record, by result");
    }

    /// <summary>A Kubernetes Event was recorded (<c>created</c>) or not (<c>failed</c>).</summary>
    public void KubeEvent(string result) => _kubeEvents.Add(1, new KeyValuePair<string, object?>("result", result));

    private static IEnumerable<Measurement<int>> CountByKind(WorkloadIndex index) =>
        index.CountByKind().Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("kind", c.Key.Label)));
}
