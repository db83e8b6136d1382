using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;

namespace Kuberollouttrigger.IntegrationTests.Host;

/// <summary>
/// Scrapes /metrics of a real web process: meters are process-wide, so only a process of its own gives exact counts.
/// </summary>
[Collection(nameof(WebProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class WebMetricsTests(SharedServers servers)
{
    [Fact]
    public async Task Metrics_count_received_rejected_by_reason_and_published()
    {
        var (redis, issuer, channel) = (servers.Redis, servers.Issuer, servers.NewChannel("web-metrics"));
        await using var recorder = await ChannelRecorder.StartAsync(redis.Address, channel);
        var port = FreePort.Next();
        using var process = HostProcess.Start(["web"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["VALKEY_CHANNEL"] = channel,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["GITHUB_OIDC_AUDIENCE"] = OidcIssuer.DefaultAudience,
            ["GITHUB_ALLOWED_ORG"] = "acme",
            ["GITHUB_OIDC_ISSUER"] = issuer.Issuer,
            ["WEB_LISTEN_ADDR"] = $"127.0.0.1:{port}",
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await HostProcess.WaitUntilReadyAsync(new Uri(client.BaseAddress, "/readyz"), process);
        var before = await PrometheusScrape.FromAsync(client);

        Assert.Equal(HttpStatusCode.Accepted, await Post(client, issuer.CreateToken(), """{"image":"ghcr.io/acme/app","tags":["dev"]}"""));
        await recorder.NextAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await Post(client, "bad", """{"image":"ghcr.io/acme/app","tags":["dev"]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(client, issuer.CreateToken(), """{"image":"ghcr.io/acme/app"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(client, issuer.CreateToken(), """{"image":"ghcr.io/other/app","tags":["dev"]}"""));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, await Post(client, issuer.CreateToken(), "x", "text/plain"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await Post(client, issuer.CreateToken(), new string(' ', 2 * 1024 * 1024)));

        var after = await PrometheusScrape.FromAsync(client);
        double Delta(string name, params string[] labels) => after.Value(name, labels) - before.Value(name, labels);
        Assert.Equal(6, Delta("kuberollouttrigger_events_received_total"));
        Assert.Equal(1, Delta("kuberollouttrigger_events_published_total"));
        Assert.Equal(0, Delta("kuberollouttrigger_events_published_without_subscriber_total"));
        Assert.Equal(1, Delta("kuberollouttrigger_events_rejected_total", "reason=\"auth\""));
        Assert.Equal(1, Delta("kuberollouttrigger_events_rejected_total", "reason=\"payload\""));
        Assert.Equal(1, Delta("kuberollouttrigger_events_rejected_total", "reason=\"prefix\""));
        Assert.Equal(1, Delta("kuberollouttrigger_events_rejected_total", "reason=\"content_type\""));
        Assert.Equal(1, Delta("kuberollouttrigger_events_rejected_total", "reason=\"size\""));
        Assert.Equal(1, after.Value("kuberollouttrigger_valkey_connected"));
        Assert.True(after.Has("http_server_request_duration_seconds_bucket"), "ASP.NET Core's own meter is exported");
        Assert.DoesNotContain(after.Series.Keys, k => k.Contains("acme", StringComparison.Ordinal));
    }

    private static async Task<HttpStatusCode> Post(HttpClient client, string token, string body, string contentType = "application/json")
    {
        // Expect: 100-continue lets the server refuse an oversized body before the client sends it, as curl does.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(body, Encoding.UTF8) };
        request.Headers.ExpectContinue = true;
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
