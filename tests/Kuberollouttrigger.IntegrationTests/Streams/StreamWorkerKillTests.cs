using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Streams;

/// <summary>
/// Fault test of stream delivery with the published worker executable: a worker is killed by pid while its PATCH
/// requests are held by the fake API (so none was applied), another worker starts, and every event is processed,
/// each Deployment patched exactly once.
/// </summary>
[Collection(nameof(WorkerProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class StreamWorkerKillTests(SharedServers servers) : IAsyncLifetime
{
    private readonly RedisServer _redis = servers.Redis;
    private readonly OidcIssuer _issuer = servers.Issuer;
    private FakeKubernetesApi _api = null!;
    private IngressServer _ingress = null!;
    private string _kubeconfig = null!;

    private string Channel { get; } = servers.NewChannel("kill");

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        var settings = IngressServer.Settings(_redis.Address, Channel, _issuer);
        settings["Delivery:Mode"] = "stream";
        _ingress = await IngressServer.StartAsync(settings);
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        _api.AddDeployment("blog", "web", ["ghcr.io/acme/app:dev"]);
        _api.AddDeployment("shop", "api", ["ghcr.io/acme/api:dev"]);
        _api.AddDeployment("shop", "docs", ["ghcr.io/acme/docs:dev"]);
        _api.AddDeployment("shop", "batch", ["ghcr.io/acme/batch:dev"]);
        _kubeconfig = _api.WriteKubeconfig(Path.GetTempPath());
    }

    public async Task DisposeAsync()
    {
        File.Delete(_kubeconfig);
        await _ingress.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Worker_killed_while_its_PATCH_is_held_loses_nothing_and_the_next_worker_patches_each_Deployment_once()
    {
        var hold = _api.Hold("PATCH", "/deployments/");
        using (var first = await StartWorkerAsync())
        {
            await PostAsync("""{"image":"ghcr.io/acme/app","tags":["dev"]}""");
            await PostAsync("""{"image":"ghcr.io/acme/docs","tags":["dev"]}""");
            await Wait.UntilAsync(() => hold.Arrived == 3, what: "the three PATCH requests held");

            first.Stop();
            await Wait.UntilAsync(() => _api.Requests.Count(r => r.IsPatch && r.Status == 499) == 3, what: "the held PATCH requests abandoned by the killed worker");
        }

        // Accepted while no worker runs: the stream keeps them.
        await PostAsync("""{"image":"ghcr.io/acme/api","tags":["dev"]}""");
        await PostAsync("""{"image":"ghcr.io/acme/batch","tags":["dev"]}""");
        hold.Release();
        using var second = await StartWorkerAsync();

        await using var valkey = await _redis.ConnectAsync();
        var inspector = new StreamInspector(valkey, Channel);
        var took = await Wait.UntilAsync(async () => Applied().Count == 5 && await inspector.PendingAsync() == 0, TimeSpan.FromSeconds(60),
            "five applied PATCH requests and every entry acknowledged");
        await Wait.StaysAsync(() => Applied().Count == 5, took, "five applied PATCH requests");
        Assert.Equal(
            ["/apis/apps/v1/namespaces/blog/deployments/web", "/apis/apps/v1/namespaces/shop/deployments/api", "/apis/apps/v1/namespaces/shop/deployments/batch",
                "/apis/apps/v1/namespaces/shop/deployments/docs", "/apis/apps/v1/namespaces/shop/deployments/web"],
            Applied().Select(p => p.Path).Order());
        Assert.Equal(4, await inspector.LengthAsync());
        Assert.Empty(await inspector.DeadLettersAsync());
        Assert.Contains("Claimed stream entry", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Requests, r => r.IsPatch && r.Status is not (200 or 499));
    }

    [Fact]
    public async Task Worker_with_an_unknown_delivery_mode_exits_non_zero_naming_the_setting()
    {
        using var process = HostProcess.Start(["worker", "--delivery-mode", "kafka", "--health-addr", $"127.0.0.1:{FreePort.Next()}"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = _redis.Address,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["KUBECONFIG"] = _kubeconfig,
        });

        Assert.NotEqual(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("DELIVERY_MODE / --delivery-mode must be pubsub or stream", process.Output, StringComparison.Ordinal);
    }

    private Task<ChildProcess> StartWorkerAsync() => StreamWorkerProcess.StartAsync(_redis, Channel, _kubeconfig);

    private List<RecordedRequest> Applied() => [.. _api.Requests.Where(r => r.IsPatch && r.Status == 200)];

    private async Task PostAsync(string body)
    {
        using var response = await WebProcess.PostAsync(_ingress.Client, _issuer.CreateToken(), body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
