using System.Diagnostics.Metrics;
using Kuberollouttrigger.Ingress.Decisions;
using Kuberollouttrigger.Transport.Publishing;

namespace Kuberollouttrigger.Ingress.Telemetry;

/// <summary>The ingress's instruments; the only label is a fixed rejection reason.</summary>
public sealed class IngressMetrics
{
    public const string MeterName = "Kuberollouttrigger.Ingress";
    public const string ReceivedName = "kuberollouttrigger.events.received";
    public const string RejectedName = "kuberollouttrigger.events.rejected";
    public const string PublishedName = "kuberollouttrigger.events.published";
    public const string UnheardName = "kuberollouttrigger.events.published_without_subscriber";
    public const string PublishFailedName = "kuberollouttrigger.events.publish_failed";

    private readonly Counter<long> _received;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _published;
    private readonly Counter<long> _unheard;
    private readonly Counter<long> _publishFailed;

    public IngressMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _received = meter.CreateCounter<long>(ReceivedName, "{event}", "POST /event requests received");
        _rejected = meter.CreateCounter<long>(RejectedName, "{event}", "Events refused, by reason (auth, content_type, size, payload, prefix, policy, replay, rate_limit, no_subscriber, overloaded)");
        _published = meter.CreateCounter<long>(PublishedName, "{event}", "Events published on Valkey");
        _unheard = meter.CreateCounter<long>(UnheardName, "{event}", "Events published while no worker was subscribed");
        _publishFailed = meter.CreateCounter<long>(PublishFailedName, "{event}", "Events that could not be handed to Valkey");
    }

    public void Received() => _received.Add(1);

    /// <summary>Counts a refusal under its reason label; Valkey failing to answer counts as a failed publish instead.</summary>
    public void Refused(RefusalCause cause)
    {
        if (cause == RefusalCause.ValkeyUnavailable)
            _publishFailed.Add(1);
        else
            _rejected.Add(1, new KeyValuePair<string, object?>("reason", ReasonOf(cause)));
    }

    public void Published(PublishOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        _published.Add(1);
        if (outcome.Listeners == 0)
            _unheard.Add(1);
    }

    /// <summary>The label values are part of the dashboards and alerts (docs/observability.md): never rename one.</summary>
    private static string ReasonOf(RefusalCause cause) => cause switch
    {
        RefusalCause.Unauthenticated or RefusalCause.IssuerUnavailable => "auth",
        RefusalCause.AddressOverBudget or RefusalCause.RepositoryOverBudget or RefusalCause.RepositoryWaitsFull => "rate_limit",
        RefusalCause.VerificationsBusy or RefusalCause.WaitsFull => "overloaded",
        RefusalCause.ContentType => "content_type",
        RefusalCause.TooLarge => "size",
        RefusalCause.Payload or RefusalCause.WaitParameter => "payload",
        RefusalCause.Prefix => "prefix",
        RefusalCause.Policy => "policy",
        RefusalCause.Replay => "replay",
        RefusalCause.NobodyListening => "no_subscriber",
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, "no reason label for this cause"),
    };
}
