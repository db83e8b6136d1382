using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuberollouttrigger.IntegrationTests.Collections;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;
using Xunit.Abstractions;

namespace Kuberollouttrigger.IntegrationTests.Host;

/// <summary>
/// The published executables' stdout, as an operator collects it: one request followed by its X-Request-Id, one event
/// followed across both modes by its event_id and trace_id with no OpenTelemetry exporter configured, readable text.
/// </summary>
[Collection(nameof(ScenarioProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class LogLineTests(SharedServers servers, ITestOutputHelper output)
{
    private const string Body = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";

    [Fact]
    public async Task Every_line_of_a_request_carries_its_request_id_and_a_refusal_names_repository_and_image()
    {
        var (redis, issuer) = (servers.Redis, servers.Issuer);
        var port = FreePort.Next();
        using var web = StartWeb(redis, issuer, servers.NewChannel("log-request"), port);
        await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/readyz"), web);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var refused = await PostAsync(client, issuer.CreateToken(), """{"image":"ghcr.io/other/app","tags":["dev"]}""", "ci-run-42");
        using var rejected = await PostAsync(client, issuer.CreateToken(new GitHubTokenClaims { RepositoryOwner = "acme-evil" }), Body, "ci-run-43");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal("ci-run-42", refused.Headers.GetValues("X-Request-Id").Single());
        await Wait.UntilAsync(() => LogLines.Parse(web.Output).With("request_id", "ci-run-43").Count >= 2, what: "the lines of both requests");
        web.Stop();

        var lines = LogLines.Parse(web.Output);
        var first = lines.With("request_id", "ci-run-42");
        var second = lines.With("request_id", "ci-run-43");
        output.WriteLine(string.Join('\n', first.Concat(second).Select(l => l.ToJsonString(Relaxed))));
        var refusal = Assert.Single(first, l => l.Text("message").StartsWith("Refused event with 400", StringComparison.Ordinal));
        Assert.Equal("acme/app", refusal.Text("repository"));
        Assert.Equal("ghcr.io/other/app", refusal.Text("image"));
        Assert.Single(first, l => l.Text("message").StartsWith("POST /event -> 400", StringComparison.Ordinal));
        Assert.Single(second, l => l.Text("message").StartsWith("Rejected token: repository_owner: 'acme-evil'", StringComparison.Ordinal));
        Assert.Single(second, l => l.Text("message").StartsWith("POST /event -> 401", StringComparison.Ordinal));
        // Only what JSON needs is escaped: the arrow and the quotes are readable in the raw line.
        Assert.Contains("\"message\":\"POST /event -> 400", web.Output, StringComparison.Ordinal);
        Assert.Contains("repository_owner: 'acme-evil'", web.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_event_is_found_in_both_modes_by_its_event_id_and_trace_id_without_an_exporter()
    {
        var (redis, issuer) = (servers.Redis, servers.Issuer);
        var channel = servers.NewChannel("log-event");
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        var (webPort, workerPort) = (FreePort.Next(), FreePort.Next());
        using var web = StartWeb(redis, issuer, channel, webPort);
        using var worker = HostProcess.Start(["worker", "--health-addr", $"127.0.0.1:{workerPort}"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["VALKEY_CHANNEL"] = channel,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["KUBECONFIG"] = kubeconfig,
        });
        try
        {
            await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{webPort}/readyz"), web);
            await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{workerPort}/readyz"), worker);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}") };

            using var response = await PostAsync(client, issuer.CreateToken(), Body, "ci-run-7");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var eventId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("eventId").GetString()!;
            await Wait.UntilAsync(() => LogLines.Parse(worker.Output).With("event_id", eventId).Any(l => l.Text("message").Contains("1 matched", StringComparison.Ordinal)),
                what: "the worker's summary of the event");
        }
        finally
        {
            web.Stop();
            worker.Stop();
            File.Delete(kubeconfig);
        }

        var webLines = LogLines.Parse(web.Output);
        var published = Assert.Single(webLines, l => l.Text("message").StartsWith("Published event", StringComparison.Ordinal));
        var (eventIdOf, traceId) = (published.Text("event_id"), published.Text("trace_id"));
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Equal("20", published.Text("log_event_id"));
        var workerLines = LogLines.Parse(worker.Output).With("event_id", eventIdOf);
        output.WriteLine(string.Join('\n', webLines.With("event_id", eventIdOf).Concat(workerLines).Select(l => l.ToJsonString(Relaxed))));
        Assert.True(workerLines.Count >= 2, "the worker's lines about the event");
        Assert.All(workerLines, l => Assert.Equal(traceId, l.Text("trace_id")));
        Assert.All(workerLines, l => Assert.Matches("^[0-9a-f]{16}$", l.Text("span_id")));
        Assert.All(workerLines, l => Assert.DoesNotContain(l, field => field.Key.StartsWith('@')));
        var restarted = Assert.Single(workerLines, l => l.Text("outcome") == "restarted");
        Assert.Equal(("deployment", "shop", "web"), (restarted.Text("kind"), restarted.Text("namespace"), restarted.Text("name")));
        Assert.Single(workerLines, l => l.Text("message").EndsWith("1 matched, 1 restarted, 0 skipped, 0 failed", StringComparison.Ordinal));
        // docs/observability.md: at LOG_LEVEL=info the frameworks write only warnings (Microsoft.*), or nothing at all
        // (MassTransit, the health checks).
        var all = webLines.Concat(LogLines.Parse(worker.Output)).ToList();
        Assert.DoesNotContain(all, l => l.Text("category").StartsWith("MassTransit", StringComparison.Ordinal));
        Assert.DoesNotContain(all, l => l.Text("category").StartsWith("Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal));
        Assert.All(all.Where(l => l.Text("category").StartsWith("Microsoft.", StringComparison.Ordinal)), l => Assert.True(l.Text("level") is "warn" or "error" or "critical", l.ToJsonString()));
    }

    [Fact]
    public async Task LOG_FORMAT_text_writes_one_readable_line_per_entry()
    {
        var port = FreePort.Next();
        using var web = StartWeb(servers.Redis, servers.Issuer, servers.NewChannel("log-text"), port, new() { ["LOG_FORMAT"] = "text" });
        await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/readyz"), web);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var response = await PostAsync(client, null, Body, "local-1");
        await Wait.UntilAsync(() => web.Output.Contains("POST /event -> 401", StringComparison.Ordinal), what: "the request line");
        web.Stop();

        output.WriteLine(web.Output);
        Assert.DoesNotContain(web.Output.Split('\n'), l => l.TrimStart().StartsWith('{'));
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d\.\d{3} info  IngressStartupSummary: web mode: LOG_LEVEL=info LOG_FORMAT=text ", web.Output);
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d\.\d{3} warn  GitHubOidcEvents: Rejected token: no bearer token: .* request_id=local-1", web.Output);
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d\.\d{3} info  RequestLogMiddleware: POST /event -> 401 in [0-9.]+ ms .* request_id=local-1 .*trace_id=[0-9a-f]{32}$", web.Output);
    }

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static ChildProcess StartWeb(RedisServer redis, OidcIssuer issuer, string channel, int port, Dictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["VALKEY_CHANNEL"] = channel,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["GITHUB_OIDC_AUDIENCE"] = OidcIssuer.DefaultAudience,
            ["GITHUB_ALLOWED_ORG"] = "acme",
            ["GITHUB_OIDC_ISSUER"] = issuer.Issuer,
            ["ALLOW_NO_SUBSCRIBER"] = "true",
        };
        foreach (var (key, value) in extra ?? [])
            environment[key] = value;
        return HostProcess.Start(["web", "--listen-addr", $"127.0.0.1:{port}"], environment);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string? token, string body, string requestId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Request-Id", requestId);
        return client.SendAsync(request);
    }
}
