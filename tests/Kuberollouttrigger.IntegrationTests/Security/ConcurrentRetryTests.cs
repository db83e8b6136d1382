using System.Net;
using System.Text;
using System.Text.Json;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>
/// The attack: one token sent 30 times at once with the same body (a client retrying too eagerly, or someone holding a
/// captured token). Each request read the token's record before any had written "delivered", so 17 of them published
/// the event, each spending a unit of the repository's event budget. Against the real executable: one message, one
/// event id in every answer, and the budget spent once.
/// </summary>
public sealed class ConcurrentRetryTests
{
    private const string Channel = "kuberollouttrigger";
    private const string Body = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";

    [Fact]
    public async Task Thirty_concurrent_requests_with_one_token_publish_once_answer_one_event_id_and_spend_the_budget_once()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var issuer = await OidcIssuer.StartAsync();
        await using var recorder = await ChannelRecorder.StartAsync(redis.Address, Channel);
        var port = FreePort.Next();
        using var process = HostProcess.Start(["web", "--listen-addr", $"127.0.0.1:{port}"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["GITHUB_OIDC_AUDIENCE"] = OidcIssuer.DefaultAudience,
            ["GITHUB_ALLOWED_ORG"] = "acme",
            ["GITHUB_OIDC_ISSUER"] = issuer.Issuer,
            ["EVENTS_PER_MINUTE_PER_REPOSITORY"] = "3",
        });
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        await HostProcess.WaitUntilReadyAsync(new Uri(baseAddress, "/readyz"), process);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 30 }) { BaseAddress = baseAddress };
        // Warm up the key cache and the connections, so the 30 arrive together.
        using (var warm = await PostAsync(client, issuer.CreateToken(new GitHubTokenClaims { Repository = "acme/warm-up" })))
            Assert.Equal(HttpStatusCode.Accepted, warm.StatusCode);
        await recorder.NextAsync();
        var token = issuer.CreateToken();

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var response = await PostAsync(client, token);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.Accepted, $"{(int)a.StatusCode} {a.Body}"));
        var ids = answers.Select(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("eventId").GetGuid()).Distinct().ToList();
        var id = Assert.Single(ids);
        Assert.Equal(id, Envelope.Parse(await recorder.NextAsync()).MessageId);
        await recorder.AssertNothingPublishedAsync();

        // Budget 3: the 30 spent one, so two more events go out and the third is refused.
        for (var i = 0; i < 2; i++)
        {
            using var next = await PostAsync(client, issuer.CreateToken());
            Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
            await recorder.NextAsync();
        }
        using var over = await PostAsync(client, issuer.CreateToken());
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        await recorder.AssertNothingPublishedAsync();
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", token);
        return client.SendAsync(request);
    }
}
