using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Host;

[Collection(nameof(WebProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class WebProcessTests(SharedServers servers)
{
    [Fact]
    public async Task Web_without_configuration_exits_non_zero_naming_every_missing_setting()
    {
        using var process = HostProcess.Start(["web"], new Dictionary<string, string?>());

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        foreach (var name in new[] { "VALKEY_ADDR", "--valkey-addr", "ALLOWED_IMAGE_PREFIX", "--allowed-image-prefix", "GITHUB_OIDC_AUDIENCE", "--github-oidc-audience", "GITHUB_ALLOWED_ORG", "--github-allowed-org" })
            Assert.Contains(name, process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_mode_exits_non_zero_with_usage()
    {
        using var process = HostProcess.Start(["nonsense"], new Dictionary<string, string?>());

        Assert.NotEqual(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Usage: kuberollouttrigger <web|worker>", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_prefix_fails_at_start_with_a_clear_message()
    {
        using var process = HostProcess.Start(["web", "--allowed-image-prefix", "GHCR.io/Acme:tag"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = "127.0.0.1:1",
            ["GITHUB_OIDC_AUDIENCE"] = "a",
            ["GITHUB_ALLOWED_ORG"] = "acme",
        });

        Assert.NotEqual(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("ALLOWED_IMAGE_PREFIX", process.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("redis://valkey:6379")]
    [InlineData("valkey")]
    [InlineData("valkey:port")]
    public async Task Unusable_valkey_address_fails_at_start_with_a_clear_message(string address)
    {
        using var process = HostProcess.Start(["web", "--valkey-addr", address, "--listen-addr", $"127.0.0.1:{FreePort.Next()}"], new Dictionary<string, string?>
        {
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["GITHUB_OIDC_AUDIENCE"] = "a",
            ["GITHUB_ALLOWED_ORG"] = "acme",
        });

        Assert.NotEqual(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("VALKEY_ADDR / --valkey-addr must be host:port", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_Valkey_password_gives_503_and_not_ready_never_500()
    {
        await using var redis = await RedisServer.StartAsync("right-password");
        var issuer = servers.Issuer;
        var port = FreePort.Next();
        using var process = HostProcess.Start(["web", "--valkey-password", "wrong-password", "--listen-addr", $"127.0.0.1:{port}"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["GITHUB_OIDC_AUDIENCE"] = OidcIssuer.DefaultAudience,
            ["GITHUB_ALLOWED_ORG"] = "acme",
            ["GITHUB_OIDC_ISSUER"] = issuer.Issuer,
        });
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        await ReadyProbe.WaitAsync(new Uri(baseAddress, "/healthz"), process);
        using var client = new HttpClient { BaseAddress = baseAddress };

        using var ready = await client.GetAsync("/readyz");
        // The first request fetches the issuer's keys; on a loaded machine that fetch can run out, and the answer is
        // then the issuer-outage 503 (Valkey unavailable is a 503 too, naming Valkey). Once the keys are in, a request
        // meets Valkey; that one is timed.
        await Wait.UntilAsync(async () =>
        {
            using var first = await PostEventAsync(client, issuer);
            return !(await first.Content.ReadAsStringAsync()).Contains("signing keys", StringComparison.Ordinal);
        }, what: "the issuer's keys fetched");
        var healthy = System.Diagnostics.Stopwatch.StartNew();
        (await client.GetAsync("/healthz")).Dispose();
        healthy.Stop();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await PostEventAsync(client, issuer);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("the event could not be handed to Valkey", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Five times the Valkey operation timeout (2 s by default, not a setting of the executable) and what a
        // request takes on this machine now.
        Assert.True(watch.Elapsed < 5 * (TimeSpan.FromSeconds(2) + healthy.Elapsed), $"answered after {watch.Elapsed} (/healthz took {healthy.Elapsed})");
        process.Stop();
        Assert.DoesNotContain("wrong-password", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Web_process_configured_by_env_and_flags_accepts_an_event_and_never_logs_the_token()
    {
        var (redis, issuer) = (servers.Redis, servers.Issuer);
        await using var recorder = await ChannelRecorder.StartAsync(redis.Address, "from-flag");
        var port = FreePort.Next();
        using var process = HostProcess.Start(["web", "--valkey-channel", "from-flag", "--listen-addr", $"127.0.0.1:{port}"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["VALKEY_CHANNEL"] = "overridden-by-flag",
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["GITHUB_OIDC_AUDIENCE"] = OidcIssuer.DefaultAudience,
            ["GITHUB_ALLOWED_ORG"] = "acme",
            ["GITHUB_OIDC_ISSUER"] = issuer.Issuer,
            ["LOG_LEVEL"] = "debug",
        });
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        await HostProcess.WaitUntilReadyAsync(new Uri(baseAddress, "/readyz"), process);

        using var client = new HttpClient { BaseAddress = baseAddress };
        var token = issuer.CreateToken();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent("""{"image":"ghcr.io/acme/app","tags":["dev"]}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        using var bad = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        bad.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token + "x");
        using var rejected = await client.SendAsync(bad);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal("ghcr.io/acme/app", Envelope.Parse(await recorder.NextAsync()).Message.GetProperty("image").GetString());
        process.Stop();
        var logs = process.Output;
        Assert.Contains("\"status\":202", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2], logs, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[1], logs, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PostEventAsync(HttpClient client, OidcIssuer issuer)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent("""{"image":"ghcr.io/acme/app","tags":["dev"]}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.CreateToken());
        return client.SendAsync(request);
    }
}
