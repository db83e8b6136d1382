using System.Net;
using System.Text.Json.Nodes;
using Kuberollouttrigger.IntegrationTests.Collections;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.EndToEnd;

/// <summary>/readyz answers JSON naming every check with its status and why, so a 503 says what to fix (docs/troubleshooting.md).</summary>
[Collection(nameof(EndToEndCollection))]
public sealed class ReadinessBodyTests(SharedServers servers)
{
    [Fact]
    public async Task The_workers_readyz_names_the_check_that_is_not_ready_and_why()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        var held = api.Hold("GET", "/apis/apps/v1/deployments");
        await using var worker = await WorkerServer.StartAsync(servers.Redis.Address, servers.NewChannel("readiness"), api, waitUntilReady: false);
        await Wait.UntilAsync(() => held.Arrived > 0, what: "the first list, held");

        using (var notReady = await worker.Client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Equal("application/json", notReady.Content.Headers.ContentType?.MediaType);
            var body = JsonNode.Parse(await notReady.Content.ReadAsStringAsync())!;
            Assert.Equal("unhealthy", body["status"]!.GetValue<string>());
            var index = Check(body, "workload-index");
            Assert.Equal("unhealthy", index["status"]!.GetValue<string>());
            Assert.Equal("the workload index has not finished its first list of every enabled kind", index["description"]!.GetValue<string>());
        }

        held.Release();
        await worker.WaitUntilReadyAsync();
        using var ready = await worker.Client.GetAsync("/readyz");
        var healthy = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("healthy", healthy["status"]!.GetValue<string>());
        Assert.Equal("1 workloads indexed (1 deployments)", Check(healthy, "workload-index")["description"]!.GetValue<string>());
        Assert.Equal(["masstransit-bus", "valkey", "valkey-subscription", "workload-index"], healthy["checks"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_webs_readyz_says_valkey_is_unreachable()
    {
        await using var ingress = await IngressServer.StartAsync(IngressServer.Settings("127.0.0.1:1", "readiness-web", servers.Issuer));

        using var response = await ingress.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var valkey = Check(JsonNode.Parse(await response.Content.ReadAsStringAsync())!, "valkey");
        Assert.Equal("unhealthy", valkey["status"]!.GetValue<string>());
        Assert.StartsWith("valkey unreachable: ", valkey["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static JsonNode Check(JsonNode body, string name) => body["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
}
