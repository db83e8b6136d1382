using System.Diagnostics.Metrics;

namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>
/// The receive path's instruments, both modes: what arrived, what could not be read, what the consumer pipeline
/// finished or failed, and what was acknowledged, dead-lettered, claimed from a gone worker, or lost to trimming.
/// </summary>
public sealed class ReceiveMetrics
{
    public const string MeterName = "Kuberollouttrigger.Transport";

    private readonly Counter<long> _received;
    private readonly Counter<long> _unreadable;
    private readonly Counter<long> _dispatched;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _acknowledged;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _claimed;
    private readonly Counter<long> _trimmed;

    public ReceiveMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _received = meter.CreateCounter<long>("kuberollouttrigger.valkey.messages.received", "{message}", "Messages received on the Valkey channel or stream");
        _unreadable = meter.CreateCounter<long>("kuberollouttrigger.valkey.messages.unreadable", "{message}", "Messages that were not a JSON object or an envelope with a message id");
        _dispatched = meter.CreateCounter<long>("kuberollouttrigger.valkey.messages.dispatched", "{message}", "Messages handed to the consumer pipeline that completed");
        _failed = meter.CreateCounter<long>("kuberollouttrigger.valkey.messages.failed", "{message}", "Messages whose consumer pipeline failed after its retries");
        _acknowledged = meter.CreateCounter<long>("kuberollouttrigger.valkey.stream.acknowledged", "{entry}", "Stream entries acknowledged after the consumer pipeline finished");
        _deadLettered = meter.CreateCounter<long>("kuberollouttrigger.valkey.stream.dead_lettered", "{message}", "Messages moved to the dead-letter stream, both modes");
        _claimed = meter.CreateCounter<long>("kuberollouttrigger.valkey.stream.claimed", "{entry}", "Pending stream entries claimed after their worker stopped answering");
        _trimmed = meter.CreateCounter<long>("kuberollouttrigger.valkey.stream.trimmed", "{entry}", "Pending stream entries trimmed away (MAXLEN) before they were handled");
    }

    public void Received() => _received.Add(1);

    public void Unreadable() => _unreadable.Add(1);

    public void Dispatched() => _dispatched.Add(1);

    public void Failed() => _failed.Add(1);

    public void Acknowledged() => _acknowledged.Add(1);

    public void DeadLettered(string reason) => _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Claimed(int count) => _claimed.Add(count);

    public void Trimmed(int count) => _trimmed.Add(count);
}
