using System.Diagnostics.Metrics;

namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>Counts what the subscriber received, dropped as unreadable, dispatched, and saw fail.</summary>
public sealed class ReceiveCounters
{
    public const string MeterName = "Kuberollouttrigger.Transport";

    private readonly Counter<long> _received;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _dispatched;
    private readonly Counter<long> _failed;
    private long _receivedTotal;
    private long _rejectedTotal;
    private long _dispatchedTotal;
    private long _failedTotal;

    public ReceiveCounters(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _received = meter.CreateCounter<long>("kuberollouttrigger.valkey.messages.received", "{message}", "Messages received on the Valkey channel");
        _rejected = meter.CreateCounter<long>("kuberollouttrigger.valkey.messages.unreadable", "{message}", "Messages dropped because they were neither an envelope nor an event");
        _dispatched = meter.CreateCounter<long>("kuberollouttrigger.valkey.messages.dispatched", "{message}", "Messages handed to the consumer pipeline that completed");
        _failed = meter.CreateCounter<long>("kuberollouttrigger.valkey.messages.failed", "{message}", "Messages whose consumer pipeline failed after its retries");
    }

    public long ReceivedTotal => Interlocked.Read(ref _receivedTotal);
    public long RejectedTotal => Interlocked.Read(ref _rejectedTotal);
    public long DispatchedTotal => Interlocked.Read(ref _dispatchedTotal);
    public long FailedTotal => Interlocked.Read(ref _failedTotal);

    public void Received()
    {
        Interlocked.Increment(ref _receivedTotal);
        _received.Add(1);
    }

    public void Rejected()
    {
        Interlocked.Increment(ref _rejectedTotal);
        _rejected.Add(1);
    }

    public void Dispatched()
    {
        Interlocked.Increment(ref _dispatchedTotal);
        _dispatched.Add(1);
    }

    public void Failed()
    {
        Interlocked.Increment(ref _failedTotal);
        _failed.Add(1);
    }
}
