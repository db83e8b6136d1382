using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Host;

/// <summary>A full scenario through both real processes at debug level; their logs must hold neither token nor password.</summary>
[Collection(nameof(ScenarioProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class SecretsInLogsTests(SharedServers servers)
{
    private const string Password = "s3cret-valkey-pa55word";

    [Fact]
    public async Task No_token_password_or_authorization_header_reaches_the_logs()
    {
        // A redis-server of its own, with a password; the collection's issuer.
        await using var redis = await RedisServer.StartAsync(Password);
        var issuer = servers.Issuer;
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        var webPort = FreePort.Next();
        var workerPort = FreePort.Next();
        var tokens = new List<string>();
        var common = new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["VALKEY_PASSWORD"] = Password,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["LOG_LEVEL"] = "debug",
        };
        using var web = HostProcess.Start(["web", "--listen-addr", $"127.0.0.1:{webPort}"], new Dictionary<string, string?>(common)
        {
            ["GITHUB_OIDC_AUDIENCE"] = OidcIssuer.DefaultAudience,
            ["GITHUB_ALLOWED_ORG"] = "acme",
            ["GITHUB_OIDC_ISSUER"] = issuer.Issuer,
        });
        using var worker = HostProcess.Start(["worker", "--health-addr", $"127.0.0.1:{workerPort}"], new Dictionary<string, string?>(common) { ["KUBECONFIG"] = kubeconfig });
        try
        {
            await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{webPort}/readyz"), web);
            await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{workerPort}/readyz"), worker);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}") };
            var token = issuer.CreateToken();
            var stranger = issuer.CreateToken(new GitHubTokenClaims { RepositoryOwner = "evil" });
            tokens.Add(token);
            tokens.Add(stranger);

            Assert.Equal(HttpStatusCode.Accepted, await Post(client, token));
            Assert.Equal(HttpStatusCode.Unauthorized, await Post(client, stranger));
            Assert.Equal(HttpStatusCode.Unauthorized, await Post(client, token + "tampered"));
            await Wait.UntilAsync(() => api.Requests.Any(r => r.IsPatch), what: "the restart");
            await Wait.UntilAsync(() => worker.Output.Contains("\"log_event_id\":200", StringComparison.Ordinal), what: "the event line");
        }
        finally
        {
            web.Stop();
            worker.Stop();
            File.Delete(kubeconfig);
        }

        var logs = web.Output + worker.Output;
        // docs/observability.md: LOG_LEVEL=debug lets the frameworks' own lines through.
        var lines = LogLines.Parse(logs);
        Assert.Contains(lines, l => l.Text("category").StartsWith("MassTransit", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Text("category").StartsWith("Microsoft.", StringComparison.Ordinal) && l.Text("level") is "debug" or "info");
        Assert.Contains("Rejected token", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, logs, StringComparison.Ordinal);
        Assert.DoesNotMatch("Bearer ey[A-Za-z0-9_-]", logs);
        Assert.DoesNotContain("\"authorization\":", logs, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, tokens.Count);
        foreach (var token in tokens)
        {
            // The claims and the signature; the header segment is the same for every token of the issuer.
            Assert.DoesNotContain(token.Split('.')[1], logs, StringComparison.Ordinal);
            Assert.DoesNotContain(token.Split('.')[2], logs, StringComparison.Ordinal);
        }
    }

    private static async Task<HttpStatusCode> Post(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent("""{"image":"ghcr.io/acme/app","tags":["dev"]}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
