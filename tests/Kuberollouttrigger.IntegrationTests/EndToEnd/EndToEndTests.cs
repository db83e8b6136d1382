using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.EndToEnd;

/// <summary>
/// POST /event with a signed token -> ingress -> redis-server -> worker -> fake Kubernetes API, all over real
/// connections; the assertions are on the PATCH requests that crossed the wire.
/// </summary>
[Collection(nameof(EndToEndCollection))]
public sealed class EndToEndTests(SharedServers servers) : IAsyncLifetime
{
    private EndToEndStack _stack = null!;
    private RedisServer _redis = null!;
    private FakeKubernetesApi _api = null!;

    private string Channel => _stack.Channel;

    public async Task InitializeAsync() => Use(await EndToEndStack.StartAsync(servers, "e2e"));

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task Posted_event_restarts_exactly_the_matching_Deployments()
    {
        await using var worker = await WorkerServer.StartAsync(_redis.Address, Channel, _api);
        _api.ClearRequests();

        var eventId = await PostAsync("""{"image":"ghcr.io/acme/app","tags":["dev","v2"]}""");

        var took = await Wait.UntilAsync(() => _stack.IsHandledAsync(eventId), what: "the event handled");
        await Wait.StaysAsync(() => Patches().Count == 3, took, "three PATCH requests");
        Assert.Equal(
            ["/apis/apps/v1/namespaces/blog/deployments/web", "/apis/apps/v1/namespaces/shop/deployments/web", "/apis/apps/v1/namespaces/shop/deployments/worker"],
            Patches().Select(p => p.Path).Order());
        Assert.All(Patches(), p =>
        {
            Assert.Equal("application/strategic-merge-patch+json", p.ContentType?.Split(';')[0]);
            Assert.Equal("kuberollouttrigger", p.QueryValue("fieldManager"));
            var annotations = JsonNode.Parse(p.Body)!["spec"]!["template"]!["metadata"]!["annotations"]!.AsObject();
            Assert.Equal(["kubectl.kubernetes.io/restartedAt"], annotations.Select(a => a.Key));
        });
        Assert.DoesNotContain(_api.Requests, r => r.IsList);
        Assert.NotEqual(Guid.Empty, eventId);
    }

    [Fact]
    public async Task Three_workers_on_one_channel_patch_each_Deployment_once_per_event()
    {
        await using var a = await WorkerServer.StartAsync(_redis.Address, Channel, _api);
        await using var b = await WorkerServer.StartAsync(_redis.Address, Channel, _api);
        await using var c = await WorkerServer.StartAsync(_redis.Address, Channel, _api);
        _api.ClearRequests();

        var events = new List<Guid>();
        for (var i = 0; i < 3; i++)
            events.Add(await PostAsync("""{"image":"ghcr.io/acme/app","tags":["dev"]}"""));

        var took = await Wait.UntilAsync(async () => (await Task.WhenAll(events.Select(_stack.IsHandledAsync))).All(h => h), what: "the three events handled");
        await Wait.StaysAsync(() => Patches().Count == 6, took, "six PATCH requests");
        var perDeployment = Patches().GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int>
        {
            ["/apis/apps/v1/namespaces/blog/deployments/web"] = 3,
            ["/apis/apps/v1/namespaces/shop/deployments/web"] = 3,
        }, perDeployment);
    }

    [Fact]
    public async Task Valkey_restarted_under_a_running_worker_later_events_are_still_processed()
    {
        await UseValkeyOfItsOwnAsync();
        await using var worker = await WorkerServer.StartAsync(_redis.Address, Channel, _api);
        _redis.Stop();
        await Wait.UntilAsync(async () => !await IsReadyAsync(worker), what: "the worker to report not ready");
        await _redis.StartAgainAsync();
        await worker.WaitUntilReadyAsync();
        _api.ClearRequests();

        // The ingress may need a moment to reconnect too; a 503 is an honest answer meanwhile.
        await Wait.UntilAsync(async () => await PostRaw("""{"image":"ghcr.io/acme/app","tags":["dev"]}""") == HttpStatusCode.Accepted,
            TimeSpan.FromSeconds(60), "the ingress to accept again");
        await Wait.UntilAsync(() => Patches().Count >= 2, what: "PATCH after the restart");
    }

    [Fact]
    public async Task Burst_of_429_delays_the_restart_until_after_Retry_After()
    {
        await using var worker = await WorkerServer.StartAsync(_redis.Address, Channel, _api);
        _api.ClearRequests();
        _api.Fail("PATCH", "/namespaces/shop/deployments/web", 429, times: 2, retryAfterSeconds: 1);

        await PostAsync("""{"image":"ghcr.io/acme/app","tags":["dev"]}""");

        await Wait.UntilAsync(() => Patches().Count(p => p.Path.EndsWith("shop/deployments/web", StringComparison.Ordinal) && p.Status == 200) == 1, TimeSpan.FromSeconds(60));
        var shop = Patches().Where(p => p.Path.EndsWith("shop/deployments/web", StringComparison.Ordinal)).ToList();
        Assert.Equal([429, 429, 200], shop.Select(p => p.Status));
        Assert.True(shop[2].At - shop[0].At >= TimeSpan.FromSeconds(1.9), $"restarted {shop[2].At - shop[0].At} after the first 429");
        Assert.Single(Patches(), p => p.Path.EndsWith("blog/deployments/web", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_errors_are_retried_and_no_Deployment_restarts_twice()
    {
        await using var worker = await WorkerServer.StartAsync(_redis.Address, Channel, _api);
        _api.ClearRequests();
        _api.Fail("PATCH", "/namespaces/shop/deployments/web", 500, times: 2);

        var eventId = await PostAsync("""{"image":"ghcr.io/acme/app","tags":["dev"]}""");

        var took = await Wait.UntilAsync(() => _stack.IsHandledAsync(eventId), what: "the event handled");
        await Wait.StaysAsync(() => Patches().Count == 4, took, "four PATCH requests");
        Assert.Equal([500, 500, 200], Patches().Where(p => p.Path.EndsWith("shop/deployments/web", StringComparison.Ordinal)).Select(p => p.Status));
        Assert.Single(Patches(), p => p.Path.EndsWith("blog/deployments/web", StringComparison.Ordinal));
    }

    private List<RecordedRequest> Patches() => [.. _api.Requests.Where(r => r.IsPatch)];

    private void Use(EndToEndStack stack)
    {
        (_stack, _redis, _api) = (stack, stack.Redis, stack.Api);
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        _api.AddDeployment("shop", "worker", ["busybox:1", "ghcr.io/acme/app:v2"]);
        _api.AddDeployment("blog", "web", ["ghcr.io/acme/app:dev"], initImages: ["ghcr.io/acme/migrate:dev"]);
        _api.AddDeployment("blog", "prod", ["ghcr.io/acme/app:prod"]);
        _api.AddDeployment("blog", "other", ["ghcr.io/acme/other:dev"]);
        _api.AddDeployment("blog", "frozen", ["ghcr.io/acme/app:dev"], paused: true);
    }

    /// <summary>For a test that stops Valkey: the same stack over a redis-server of its own.</summary>
    private async Task UseValkeyOfItsOwnAsync()
    {
        await _stack.DisposeAsync();
        Use(await EndToEndStack.StartWithOwnValkeyAsync(servers, "e2e-restart"));
    }

    private static async Task<bool> IsReadyAsync(WorkerServer worker)
    {
        using var response = await worker.Client.GetAsync("/readyz");
        return response.IsSuccessStatusCode;
    }

    private Task<Guid> PostAsync(string body) => _stack.PostAsync(body);

    private Task<HttpStatusCode> PostRaw(string body) => _stack.PostRawAsync(body);
}
