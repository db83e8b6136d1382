using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>
/// The attack: with the prefix <c>docker.io/acme/</c>, the image <c>docker.io/acme</c> (or <c>acme</c>) is the
/// prefix's owner itself, which runtimes read as the official <c>docker.io/library/acme</c> of another publisher.
/// Both real executables refuse it: the web mode with a 400 naming the prefix, the worker when a forged message says it.
/// </summary>
[Collection(nameof(HostileInputProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class PrefixRootTests(SharedServers servers)
{
    private string Channel { get; } = servers.NewChannel("prefix-root");

    [Theory]
    [InlineData("docker.io/acme/")]
    [InlineData("acme/")]
    [InlineData("index.docker.io/acme/")]
    public async Task Web_refuses_the_prefix_owner_in_every_spelling_and_publishes_only_the_image_under_it(string prefix)
    {
        var (redis, issuer) = (servers.Redis, servers.Issuer);
        await using var recorder = await ChannelRecorder.StartAsync(redis.Address, Channel);
        var port = FreePort.Next();
        using var process = HostProcess.Start(["web", "--listen-addr", $"127.0.0.1:{port}"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["VALKEY_CHANNEL"] = Channel,
            ["ALLOWED_IMAGE_PREFIX"] = prefix,
            ["GITHUB_OIDC_AUDIENCE"] = OidcIssuer.DefaultAudience,
            ["GITHUB_ALLOWED_ORG"] = "acme",
            ["GITHUB_OIDC_ISSUER"] = issuer.Issuer,
        });
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        await HostProcess.WaitUntilReadyAsync(new Uri(baseAddress, "/readyz"), process);
        using var client = new HttpClient { BaseAddress = baseAddress };

        foreach (var image in new[] { "docker.io/acme", "acme", "index.docker.io/acme", "registry-1.docker.io/acme" })
        {
            using var refused = await PostAsync(client, issuer, image);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{image}: {(int)refused.StatusCode} {body}");
            Assert.Contains("not under the allowed image prefix", body, StringComparison.Ordinal);
        }
        using var accepted = await PostAsync(client, issuer, "acme/app");

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("acme/app", Envelope.Parse(await recorder.NextAsync()).Message.GetProperty("image").GetString());
        await recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Worker_refuses_a_forged_message_for_the_prefix_owner_and_never_restarts_the_official_image()
    {
        var redis = servers.Redis;
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "official", ["acme:latest"]);
        api.AddDeployment("shop", "also-official", ["docker.io/library/acme:latest"]);
        api.AddDeployment("shop", "ours", ["docker.io/acme/app:latest"]);
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        var port = FreePort.Next();
        using var process = HostProcess.Start(["worker", "--health-addr", $"127.0.0.1:{port}"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["VALKEY_CHANNEL"] = Channel,
            ["ALLOWED_IMAGE_PREFIX"] = "docker.io/acme/",
            ["KUBECONFIG"] = kubeconfig,
        });
        try
        {
            await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/readyz"), process);
            await using var valkey = await redis.ConnectAsync();
            var channel = RedisChannel.Literal(Channel);
            string[] forged = ["docker.io/acme", "acme", "index.docker.io/acme"];
            foreach (var image in forged)
                await valkey.GetSubscriber().PublishAsync(channel, $$"""{"image":"{{image}}","tags":["latest"]}""");
            await valkey.GetSubscriber().PublishAsync(channel, HostileMessages.ValidEnvelope("docker.io/acme"));
            await valkey.GetSubscriber().PublishAsync(channel, """{"image":"acme/app","tags":["latest"]}""");

            await Wait.UntilAsync(() => api.Requests.Any(r => r.IsPatch), what: "the PATCH of the image under the prefix");
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Wait.UntilAsync(async () => (await PrometheusScrape.FromAsync(client)).Value("kuberollouttrigger_valkey_messages_failed_total") == forged.Length + 1,
                what: "every forged message refused");

            var patch = Assert.Single(api.Requests, r => r.IsPatch);
            Assert.EndsWith("/namespaces/shop/deployments/ours", patch.Path, StringComparison.Ordinal);
            Assert.Equal(forged.Length + 1, System.Text.RegularExpressions.Regex.Count(process.Output, "\"message\":\"Refused message [0-9a-f-]+: image is not under the allowed image prefix"));
        }
        finally
        {
            process.Stop();
            File.Delete(kubeconfig);
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, OidcIssuer issuer, string image)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent($$"""{"image":"{{image}}","tags":["latest"]}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.CreateToken());
        return client.SendAsync(request);
    }
}
