using System.Diagnostics.Metrics;

namespace Kuberollouttrigger.Transport.Streams;

/// <summary>What stream delivery acknowledged, moved to the dead-letter stream, claimed from a gone worker, or lost to trimming.</summary>
public sealed class StreamCounters
{
    private readonly Counter<long> _acknowledged;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _claimed;
    private readonly Counter<long> _trimmed;
    private long _acknowledgedTotal;
    private long _deadLetteredTotal;
    private long _claimedTotal;

    public StreamCounters(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Receiving.ReceiveCounters.MeterName);
        _acknowledged = meter.CreateCounter<long>("kuberollouttrigger.valkey.stream.acknowledged", "{entry}", "Stream entries acknowledged after the consumer pipeline finished");
        _deadLettered = meter.CreateCounter<long>("kuberollouttrigger.valkey.stream.dead_lettered", "{entry}", "Stream entries moved to the dead-letter stream");
        _claimed = meter.CreateCounter<long>("kuberollouttrigger.valkey.stream.claimed", "{entry}", "Pending stream entries claimed after their worker stopped answering");
        _trimmed = meter.CreateCounter<long>("kuberollouttrigger.valkey.stream.trimmed", "{entry}", "Pending stream entries trimmed away (MAXLEN) before they were handled");
    }

    public long AcknowledgedTotal => Interlocked.Read(ref _acknowledgedTotal);
    public long DeadLetteredTotal => Interlocked.Read(ref _deadLetteredTotal);
    public long ClaimedTotal => Interlocked.Read(ref _claimedTotal);

    public void Acknowledged()
    {
        Interlocked.Increment(ref _acknowledgedTotal);
        _acknowledged.Add(1);
    }

    public void DeadLettered(string reason)
    {
        Interlocked.Increment(ref _deadLetteredTotal);
        _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    public void Claimed(int count)
    {
        Interlocked.Add(ref _claimedTotal, count);
        _claimed.Add(count);
    }

    public void Trimmed(int count) => _trimmed.Add(count);
}
