using System.Diagnostics.Metrics;
using Kuberollouttrigger.RolloutWorker.Telemetry;

namespace Kuberollouttrigger.RolloutWorker.Coalescing;

/// <summary>Coalescing's instruments, on the worker's meter; no image or tag labels.</summary>
public sealed class CoalescingMetrics
{
    private readonly Counter<long> _opened;
    private readonly Counter<long> _coalesced;
    private readonly Counter<long> _flushed;
    private readonly Counter<long> _abandoned;

    public CoalescingMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(WorkerTelemetry.MeterName);
        _opened = meter.CreateCounter<long>("kuberollouttrigger.coalescing.windows", "{window}", "Coalescing windows opened by an event");
        _coalesced = meter.CreateCounter<long>("kuberollouttrigger.events.coalesced", "{event}", "Events folded into an open window of an earlier event for the same image");
        _flushed = meter.CreateCounter<long>("kuberollouttrigger.coalescing.flushed", "{window}", "Closed windows whose workloads were restarted");
        _abandoned = meter.CreateCounter<long>("kuberollouttrigger.coalescing.abandoned", "{window}", "Closed windows given up after their restart attempts");
    }

    public void Opened() => _opened.Add(1);

    public void Coalesced() => _coalesced.Add(1);

    public void Flushed() => _flushed.Add(1);

    public void Abandoned() => _abandoned.Add(1);
}
