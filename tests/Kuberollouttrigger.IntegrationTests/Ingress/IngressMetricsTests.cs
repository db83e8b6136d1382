using System.Diagnostics.Metrics;
using System.Net;
using Kuberollouttrigger.Ingress.Telemetry;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Kuberollouttrigger.IntegrationTests.Ingress;

/// <summary>
/// The ingress's counters, read with <see cref="MetricCollector{T}"/> over this host's own meter factory: exact counts
/// although other hosts run in the same process, and no process of its own to start.
/// </summary>
[Collection(nameof(IngressCollection))]
public sealed class IngressMetricsTests(IngressEnvironment env)
{
    private const string Valid = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";

    [Fact]
    public async Task Metrics_count_received_rejected_by_reason_and_published()
    {
        var meters = env.Ingress.Services.GetRequiredService<IMeterFactory>();
        using var received = new MetricCollector<long>(meters, IngressMetrics.MeterName, IngressMetrics.ReceivedName);
        using var rejected = new MetricCollector<long>(meters, IngressMetrics.MeterName, IngressMetrics.RejectedName);
        using var published = new MetricCollector<long>(meters, IngressMetrics.MeterName, IngressMetrics.PublishedName);
        using var unheard = new MetricCollector<long>(meters, IngressMetrics.MeterName, IngressMetrics.UnheardName);
        using var stranger = new SigningKey("stranger");

        await ExpectAsync(HttpStatusCode.Accepted, env.Issuer.CreateToken(), Valid);
        await env.Recorder.NextAsync();
        await ExpectAsync(HttpStatusCode.Unauthorized, env.Issuer.CreateToken(stranger), Valid);
        await ExpectAsync(HttpStatusCode.BadRequest, env.Issuer.CreateToken(), """{"image":"ghcr.io/acme/app"}""");
        await ExpectAsync(HttpStatusCode.BadRequest, env.Issuer.CreateToken(), """{"image":"ghcr.io/other/app","tags":["dev"]}""");
        await ExpectAsync(HttpStatusCode.UnsupportedMediaType, env.Issuer.CreateToken(), "x", "text/plain");
        await ExpectAsync(HttpStatusCode.RequestEntityTooLarge, env.Issuer.CreateToken(), new string(' ', 2 * 1024 * 1024));

        Assert.Equal(6, received.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, published.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(0, unheard.GetMeasurementSnapshot().EvaluateAsCounter());
        var byReason = rejected.GetMeasurementSnapshot().GroupBy(m => (string)m.Tags["reason"]!).ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(new Dictionary<string, long> { ["auth"] = 1, ["payload"] = 1, ["prefix"] = 1, ["content_type"] = 1, ["size"] = 1 }, byReason);
        await env.Recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Metrics_are_exported_for_Prometheus_without_images_or_repositories()
    {
        await ExpectAsync(HttpStatusCode.Accepted, env.Issuer.CreateToken(), Valid);
        await env.Recorder.NextAsync();

        var scrape = await PrometheusScrape.FromAsync(env.Ingress.Client);

        Assert.True(scrape.Has("kuberollouttrigger_events_received_total"), "the ingress's meter is exported");
        Assert.True(scrape.Has("kuberollouttrigger_valkey_connected"), "the transport's meter is exported");
        Assert.True(scrape.Has("http_server_request_duration_seconds_bucket"), "ASP.NET Core's own meter is exported");
        Assert.DoesNotContain(scrape.Series.Keys, k => k.Contains("acme", StringComparison.Ordinal));
    }

    private async Task ExpectAsync(HttpStatusCode expected, string token, string body, string contentType = "application/json")
    {
        using var response = await env.PostEventAsync(token, body, contentType);
        Assert.Equal(expected, response.StatusCode);
    }
}
