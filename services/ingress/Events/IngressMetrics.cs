using System.Diagnostics.Metrics;

namespace Kuberollouttrigger.Ingress.Events;

/// <summary>The ingress's instruments; the only label is a fixed rejection reason.</summary>
public sealed class IngressMetrics
{
    public const string MeterName = "Kuberollouttrigger.Ingress";

    private readonly Counter<long> _received;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _published;
    private readonly Counter<long> _unheard;
    private readonly Counter<long> _publishFailed;

    public IngressMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _received = meter.CreateCounter<long>("kuberollouttrigger.events.received", "{event}", "POST /event requests received");
        _rejected = meter.CreateCounter<long>("kuberollouttrigger.events.rejected", "{event}", "Events refused, by reason (auth, content_type, size, payload, prefix, policy, replay, rate_limit, no_subscriber)");
        _published = meter.CreateCounter<long>("kuberollouttrigger.events.published", "{event}", "Events published on Valkey");
        _unheard = meter.CreateCounter<long>("kuberollouttrigger.events.published_without_subscriber", "{event}", "Events published while no worker was subscribed");
        _publishFailed = meter.CreateCounter<long>("kuberollouttrigger.events.publish_failed", "{event}", "Events that could not be handed to Valkey");
    }

    public void Received() => _received.Add(1);

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Published(long receivers)
    {
        _published.Add(1);
        if (receivers == 0)
            _unheard.Add(1);
    }

    public void PublishFailed() => _publishFailed.Add(1);
}
