using System.Diagnostics.Metrics;
using Kuberollouttrigger.Ingress.Decisions;
using Kuberollouttrigger.Ingress.Telemetry;
using Kuberollouttrigger.Transport.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Kuberollouttrigger.UnitTests.Decisions;

/// <summary>Each refusal cause has one HTTP status and one metric reason; the reasons are the documented label values.</summary>
public sealed class RefusalMappingTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().AddSingleton<IngressMetrics>().BuildServiceProvider();

    public static TheoryData<RefusalCause, int, string> Causes => new()
    {
        { RefusalCause.Unauthenticated, 401, "auth" },
        { RefusalCause.IssuerUnavailable, 503, "auth" },
        { RefusalCause.AddressOverBudget, 429, "rate_limit" },
        { RefusalCause.ContentType, 415, "content_type" },
        { RefusalCause.TooLarge, 413, "size" },
        { RefusalCause.Payload, 400, "payload" },
        { RefusalCause.Prefix, 400, "prefix" },
        { RefusalCause.WaitParameter, 400, "payload" },
        { RefusalCause.Policy, 403, "policy" },
        { RefusalCause.Replay, 409, "replay" },
        { RefusalCause.RepositoryOverBudget, 429, "rate_limit" },
        { RefusalCause.NobodyListening, 503, "no_subscriber" },
        { RefusalCause.VerificationsBusy, 503, "overloaded" },
        { RefusalCause.RepositoryWaitsFull, 429, "rate_limit" },
        { RefusalCause.WaitsFull, 503, "overloaded" },
    };

    [Fact]
    public void Every_cause_is_in_the_table() =>
        Assert.Equal(Enum.GetValues<RefusalCause>().Except([RefusalCause.ValkeyUnavailable]).Order(), Causes.Select(row => (RefusalCause)row[0]).Order());

    [Theory]
    [MemberData(nameof(Causes))]
    public void Cause_maps_to_its_status_and_reason_label(RefusalCause cause, int status, string reason)
    {
        using var rejected = Collector(IngressMetrics.RejectedName);

        _services.GetRequiredService<IngressMetrics>().Refused(cause);

        Assert.Equal(status, DecisionResult.For(new Refused(cause, "x")).StatusCode);
        var measurement = Assert.Single(rejected.GetMeasurementSnapshot());
        Assert.Equal(reason, measurement.Tags["reason"]);
    }

    [Fact]
    public void Valkey_unavailable_is_503_with_Retry_After_and_counts_as_a_failed_publish()
    {
        using var rejected = Collector(IngressMetrics.RejectedName);
        using var failed = Collector(IngressMetrics.PublishFailedName);

        _services.GetRequiredService<IngressMetrics>().Refused(RefusalCause.ValkeyUnavailable);

        var result = DecisionResult.For(new Refused(RefusalCause.ValkeyUnavailable, "x"));
        Assert.Equal(503, result.StatusCode);
        Assert.Equal(5, ((Refused)result.Decision).RetryAfterSeconds);
        Assert.Empty(rejected.GetMeasurementSnapshot());
        Assert.Equal(1, failed.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Theory]
    [InlineData(0.2, 1)]
    [InlineData(12.1, 13)]
    public void Retry_later_states_whole_seconds_in_reason_and_header(double seconds, int whole)
    {
        var refused = Refused.RetryLater(RefusalCause.RepositoryOverBudget, "too many events from this repository", TimeSpan.FromSeconds(seconds));

        Assert.Equal(whole, refused.RetryAfterSeconds);
        Assert.Equal($"too many events from this repository; retry after {whole} s", refused.Reason);
    }

    [Theory]
    [InlineData(3, PublishOutcomeKind.Delivered, 0)]
    [InlineData(0, PublishOutcomeKind.NobodyListening, 1)]
    public void Publish_counts_as_unheard_only_when_nobody_listened(long receivers, PublishOutcomeKind kind, long unheardCount)
    {
        using var published = Collector(IngressMetrics.PublishedName);
        using var unheard = Collector(IngressMetrics.UnheardName);
        var outcome = PublishOutcome.Published(receivers);

        _services.GetRequiredService<IngressMetrics>().Published(outcome);

        Assert.Equal(kind, outcome.Kind);
        Assert.Equal(1, published.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(unheardCount, unheard.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    public void Dispose() => _services.Dispose();

    private MetricCollector<long> Collector(string instrument) =>
        new(_services.GetRequiredService<IMeterFactory>(), IngressMetrics.MeterName, instrument);
}
