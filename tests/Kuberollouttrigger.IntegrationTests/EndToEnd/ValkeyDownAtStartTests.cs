using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.EndToEnd;

/// <summary>Both modes start while Valkey is down: not ready and a defined status meanwhile, working once it appears.</summary>
[Collection(nameof(EndToEndCollection))]
public sealed class ValkeyDownAtStartTests(SharedServers servers)
{
    [Fact]
    public async Task Web_and_worker_wait_for_Valkey_then_an_event_restarts_the_Deployment()
    {
        // A redis-server of its own, started late; the collection's issuer.
        await using var redis = await RedisServer.StartAsync();
        redis.Stop();
        var issuer = servers.Issuer;
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        await using var ingress = await IngressServer.StartAsync(IngressServer.Settings(redis.Address, "late", issuer));
        await using var worker = await WorkerServer.StartAsync(redis.Address, "late", api, waitUntilReady: false);

        using (var notReady = await worker.Client.GetAsync("/readyz"))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        using (var webNotReady = await ingress.Client.GetAsync("/readyz"))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, webNotReady.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await PostAsync(ingress, issuer));

        await redis.StartAgainAsync();
        await worker.WaitUntilReadyAsync();

        await Wait.UntilAsync(async () => await PostAsync(ingress, issuer) == HttpStatusCode.Accepted, TimeSpan.FromSeconds(60), "the web mode to accept");

        await Wait.UntilAsync(() => api.Requests.Any(r => r.IsPatch && r.Path.EndsWith("/shop/deployments/web", StringComparison.Ordinal)), what: "the restart");
    }

    private static async Task<HttpStatusCode> PostAsync(IngressServer ingress, OidcIssuer issuer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent("""{"image":"ghcr.io/acme/app","tags":["dev"]}""", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", issuer.CreateToken());
        using var response = await ingress.Client.SendAsync(request);
        return response.StatusCode;
    }
}
