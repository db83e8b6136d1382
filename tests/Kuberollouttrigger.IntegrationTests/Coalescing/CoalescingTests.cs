using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.RolloutWorker.Telemetry;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.Coalescing;

/// <summary>
/// COALESCE_WINDOW across two worker replicas on one channel: POST /event with signed tokens through the real ingress,
/// redis-server, and the fake Kubernetes API; the assertions are on the PATCH requests that crossed the wire and when.
/// </summary>
[Collection(nameof(DeliveryCollection))]
public sealed class CoalescingTests(SharedServers servers) : IAsyncLifetime
{
    /// <summary>Long enough that three events posted at once join one window on a machine loaded many times over.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(6);
    private readonly RedisServer _redis = servers.Redis;
    private readonly OidcIssuer _issuer = servers.Issuer;
    private FakeKubernetesApi _api = null!;
    private ConnectionMultiplexer _valkey = null!;

    public async Task InitializeAsync()
    {
        _valkey = await _redis.ConnectAsync();
        _api = await FakeKubernetesApi.StartAsync();
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        _api.AddDeployment("shop", "canary", ["ghcr.io/acme/app:v2"]);
        _api.AddDeployment("blog", "web", ["ghcr.io/acme/app:dev"]);
        _api.AddDeployment("shop", "api", ["ghcr.io/acme/api:dev"]);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _valkey.DisposeAsync();
    }

    [Theory]
    [InlineData("pubsub")]
    [InlineData("stream")]
    public async Task Three_events_for_one_image_within_the_window_restart_each_Deployment_once_after_it_closes(string mode)
    {
        var channel = servers.NewChannel("coalesce-" + mode);
        await using var ingress = await StartIngressAsync(channel, mode);
        await using var a = await StartWorkerAsync(channel, mode);
        await using var b = await StartWorkerAsync(channel, mode);
        using var coalesced = Collect("kuberollouttrigger.events.coalesced", a, b);
        using var flushed = Collect("kuberollouttrigger.coalescing.flushed", a, b);
        // One event for another image first, restarted to the end: the three below then meet warm code paths, not a
        // first request's compilation, which on a loaded machine could outlast the window.
        await PostAsync(ingress, """{"image":"ghcr.io/acme/api","tags":["dev"]}""");
        await Wait.UntilAsync(async () => Applied().Count == 1 && await ClosedAsync(channel), what: "the warm-up event restarted");
        _api.ClearRequests();
        var warmUp = coalesced.Value;

        var firstPosted = DateTimeOffset.UtcNow;
        await Task.WhenAll(
            PostAsync(ingress, """{"image":"ghcr.io/acme/app","tags":["dev"]}"""),
            PostAsync(ingress, """{"image":"ghcr.io/acme/app","tags":["v2"]}"""),
            PostAsync(ingress, """{"image":"ghcr.io/acme/app","tags":["dev"]}"""));

        var took = await Wait.UntilAsync(async () => Applied().Count == 3 && await ClosedAsync(channel), what: "three applied PATCH requests and no window left");
        await Wait.StaysAsync(() => _api.Requests.Count(r => r.IsPatch) == 3, took, "three PATCH requests");
        Assert.Equal(
            ["/apis/apps/v1/namespaces/blog/deployments/web", "/apis/apps/v1/namespaces/shop/deployments/canary", "/apis/apps/v1/namespaces/shop/deployments/web"],
            _api.Requests.Where(r => r.IsPatch).Select(p => p.Path).Order());
        Assert.All(Applied(), p => Assert.True(p.At >= firstPosted + Window, $"patched {p.At - firstPosted} after the first event, before the window closed"));
        Assert.Equal(2, coalesced.Value - warmUp);
    }

    [Fact]
    public async Task Events_for_two_images_are_not_merged()
    {
        var channel = servers.NewChannel("coalesce-two");
        await using var ingress = await StartIngressAsync(channel, "pubsub");
        await using var a = await StartWorkerAsync(channel, "pubsub");
        await using var b = await StartWorkerAsync(channel, "pubsub");
        using var coalesced = Collect("kuberollouttrigger.events.coalesced", a, b);
        using var flushed = Collect("kuberollouttrigger.coalescing.flushed", a, b);
        _api.ClearRequests();

        await PostAsync(ingress, """{"image":"ghcr.io/acme/app","tags":["dev"]}""");
        await PostAsync(ingress, """{"image":"ghcr.io/acme/api","tags":["dev"]}""");

        var took = await Wait.UntilAsync(async () => Applied().Count == 3 && await ClosedAsync(channel), what: "three applied PATCH requests and no window left");
        await Wait.StaysAsync(() => _api.Requests.Count(r => r.IsPatch) == 3, took, "three PATCH requests");
        Assert.Equal(
            ["/apis/apps/v1/namespaces/blog/deployments/web", "/apis/apps/v1/namespaces/shop/deployments/api", "/apis/apps/v1/namespaces/shop/deployments/web"],
            _api.Requests.Where(r => r.IsPatch).Select(p => p.Path).Order());
        Assert.Equal(0, coalesced.Value);
        Assert.Equal(2, flushed.Value);
    }

    [Fact]
    public async Task A_replica_stopped_while_restarting_a_closed_window_leaves_it_to_another_and_each_Deployment_restarts_once()
    {
        var channel = servers.NewChannel("coalesce-lease");
        await using var ingress = await StartIngressAsync(channel, "pubsub");
        var hold = _api.Hold("PATCH", "/deployments/api");
        await using (var first = await StartWorkerAsync(channel, "pubsub"))
        {
            _api.ClearRequests();
            await PostAsync(ingress, """{"image":"ghcr.io/acme/api","tags":["dev"]}""");
            await Wait.UntilAsync(() => hold.Arrived == 1, what: "the window's PATCH held");
        }
        await Wait.UntilAsync(() => _api.Requests.Any(r => r.IsPatch && r.Status == 499), what: "the held PATCH abandoned");
        hold.Release();
        await using var second = await StartWorkerAsync(channel, "pubsub");

        var took = await Wait.UntilAsync(async () => Applied().Count == 1 && await ClosedAsync(channel), what: "the window restarted by the other replica");
        await Wait.StaysAsync(() => Applied().Count == 1, took, "one applied PATCH request");
        Assert.Single(Applied(), p => p.Path.EndsWith("shop/deployments/api", StringComparison.Ordinal));
    }

    private async Task<IngressServer> StartIngressAsync(string channel, string mode)
    {
        var settings = IngressServer.Settings(_redis.Address, channel, _issuer);
        settings["Delivery:Mode"] = mode;
        return await IngressServer.StartAsync(settings);
    }

    private Task<WorkerServer> StartWorkerAsync(string channel, string mode) =>
        WorkerServer.StartAsync(_redis.Address, channel, _api, extra: new Dictionary<string, string?>
        {
            ["Delivery:Mode"] = mode,
            ["Coalescing:Window"] = Window.ToString(),
            ["Coalescing:PollInterval"] = "00:00:00.050",
            ["Coalescing:FlushLease"] = "00:00:01",
        });

    private List<RecordedRequest> Applied() => [.. _api.Requests.Where(r => r.IsPatch && r.Status == 200)];

    /// <summary>Every window of the channel was restarted and removed: the completion signal before counting.</summary>
    private async Task<bool> ClosedAsync(string channel) => await new WorkerRecords(_valkey, channel).OpenWindowsAsync() == 0;

    /// <summary>
    /// Collects a coalescing counter of the given replicas, over each one's own meter factory: other classes' workers in
    /// this test process do not count (the process tests assert on /metrics).
    /// </summary>
    private static Counts Collect(string instrument, params WorkerServer[] workers) =>
        new([.. workers.Select(w => new MetricCollector<long>(w.Services.GetRequiredService<IMeterFactory>(), WorkerTelemetry.MeterName, instrument))]);

    private sealed class Counts(IReadOnlyList<MetricCollector<long>> collectors) : IDisposable
    {
        public long Value => collectors.Sum(c => c.GetMeasurementSnapshot().EvaluateAsCounter());

        public void Dispose()
        {
            foreach (var collector in collectors)
                collector.Dispose();
        }
    }

    private async Task PostAsync(IngressServer ingress, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", _issuer.CreateToken());
        using var response = await ingress.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
