using System.Net;
using System.Text;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;
using Kuberollouttrigger.Transport.Publishing;
using Kuberollouttrigger.Transport.Streams;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.Streams;

/// <summary>
/// DELIVERY_MODE=stream through the real ingress, redis-server, the real worker composition and the fake Kubernetes
/// API; the assertions are on the PATCH requests that crossed the wire and on what the stream holds afterwards.
/// </summary>
[Collection(nameof(DeliveryCollection))]
public sealed class StreamDeliveryTests(SharedServers servers) : IAsyncLifetime
{
    private readonly OidcIssuer _issuer = servers.Issuer;
    private RedisServer? _ownRedis;
    private RedisServer _redis = null!;
    private string Channel { get; set; } = "";
    private FakeKubernetesApi _api = null!;
    private IngressServer _ingress = null!;
    private ConnectionMultiplexer _valkey = null!;
    private StreamInspector _stream = null!;

    public Task InitializeAsync() => StartAsync(servers.Redis);

    public async Task DisposeAsync()
    {
        await _valkey.DisposeAsync();
        await _ingress.DisposeAsync();
        await _api.DisposeAsync();
        if (_ownRedis is not null)
            await _ownRedis.DisposeAsync();
    }

    /// <summary>The collection's redis-server (or the test's own), a stream of the test's own, the ingress in stream mode, the fake API.</summary>
    private async Task StartAsync(RedisServer redis)
    {
        _redis = redis;
        Channel = servers.NewChannel("streams");
        _api = await FakeKubernetesApi.StartAsync();
        var settings = IngressServer.Settings(_redis.Address, Channel, _issuer);
        settings["Delivery:Mode"] = "stream";
        _ingress = await IngressServer.StartAsync(settings);
        _valkey = await _redis.ConnectAsync();
        _stream = new StreamInspector(_valkey, Channel);
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        _api.AddDeployment("blog", "web", ["ghcr.io/acme/app:dev"]);
        _api.AddDeployment("shop", "api", ["ghcr.io/acme/api:dev"]);
        _api.AddDeployment("shop", "poison", ["ghcr.io/acme/poison:dev"]);
    }

    /// <summary>For a test that stops Valkey: the same setup over a redis-server of its own.</summary>
    private async Task UseValkeyOfItsOwnAsync()
    {
        await DisposeAsync();
        _ownRedis = await RedisServer.StartAsync();
        await StartAsync(_ownRedis);
    }

    [Fact]
    public async Task Ingress_creates_the_consumer_group_at_start_and_events_posted_before_any_worker_are_restarted_when_one_starts()
    {
        await Wait.UntilAsync(_stream.GroupExistsAsync, what: "the consumer group made by the ingress");
        for (var i = 0; i < 3; i++)
            await PostAsync("""{"image":"ghcr.io/acme/app","tags":["dev"]}""");
        Assert.Equal(3, await _stream.LengthAsync());

        await using var worker = await StartWorkerAsync();

        await Wait.UntilAsync(() => Applied().Count == 6, what: "six applied PATCH requests");
        await Wait.UntilAsync(async () => await _stream.PendingAsync() == 0, what: "every entry acknowledged");
        Assert.Equal(3, Applied().Count(p => p.Path.EndsWith("shop/deployments/web", StringComparison.Ordinal)));
        Assert.Equal(3, Applied().Count(p => p.Path.EndsWith("blog/deployments/web", StringComparison.Ordinal)));
        Assert.Empty(await _stream.DeadLettersAsync());
    }

    [Fact]
    public async Task Unreadable_and_refused_entries_go_to_the_dead_letter_stream_at_once_and_the_next_entry_is_processed()
    {
        await using var worker = await StartWorkerAsync();
        await _stream.AddAsync(Encoding.UTF8.GetBytes("not json at all"));
        await _stream.AddAsync(Envelope(new ImageUpdated(Guid.NewGuid(), "ghcr.io/acme-evil/app", ["dev"], Trigger(), DateTimeOffset.UtcNow)));
        await PostAsync("""{"image":"ghcr.io/acme/api","tags":["dev"]}""");

        await Wait.UntilAsync(() => Applied().Any(p => p.Path.EndsWith("shop/deployments/api", StringComparison.Ordinal)), what: "the next entry restarted");
        await Wait.UntilAsync(async () => (await _stream.DeadLettersAsync()).Count == 2, what: "two dead letters");
        var reasons = (await _stream.DeadLettersAsync()).Select(e => (string)e[StreamNames.ReasonField]!).ToList();
        Assert.StartsWith("unreadable: not JSON", reasons[0], StringComparison.Ordinal);
        Assert.StartsWith("refused: ", reasons[1], StringComparison.Ordinal);
        Assert.Contains("prefix", reasons[1], StringComparison.Ordinal);
        Assert.All(await _stream.DeadLettersAsync(), e => Assert.Equal(1, (int)e[StreamNames.DeliveriesField]));
        await Wait.UntilAsync(async () => await _stream.PendingAsync() == 0, what: "every entry acknowledged");
    }

    [Fact]
    public async Task Entry_failing_every_delivery_goes_to_the_dead_letter_stream_after_the_maximum_and_the_next_entry_is_processed()
    {
        _api.Fail("PATCH", "/namespaces/shop/deployments/poison", 500, times: 1_000);
        await using var worker = await StartWorkerAsync(new() { ["Delivery:MaxDeliveries"] = "3", ["Rollout:RetryLimit"] = "1" });

        await PostAsync("""{"image":"ghcr.io/acme/poison","tags":["dev"]}""");
        await PostAsync("""{"image":"ghcr.io/acme/api","tags":["dev"]}""");

        await Wait.UntilAsync(() => Applied().Any(p => p.Path.EndsWith("shop/deployments/api", StringComparison.Ordinal)), what: "the next entry restarted");
        await Wait.UntilAsync(async () => (await _stream.DeadLettersAsync()).Count == 1, TimeSpan.FromSeconds(90), "the poison entry dead-lettered");
        var dead = Assert.Single(await _stream.DeadLettersAsync());
        Assert.Equal(4, (int)dead[StreamNames.DeliveriesField]);
        Assert.Equal("failed 3 deliveries", (string)dead[StreamNames.ReasonField]!);
        // Three deliveries of two attempts each (one retry), and no attempt after it was dead-lettered.
        Assert.Equal(6, _api.Requests.Count(r => r.IsPatch && r.Path.EndsWith("shop/deployments/poison", StringComparison.Ordinal)));
        await Wait.UntilAsync(async () => await _stream.PendingAsync() == 0, what: "every entry acknowledged");
    }

    [Fact]
    public async Task Valkey_restarted_without_persistence_loses_the_stream_and_events_accepted_after_it_are_processed()
    {
        await UseValkeyOfItsOwnAsync();
        await using var worker = await StartWorkerAsync();
        await PostAsync("""{"image":"ghcr.io/acme/api","tags":["dev"]}""");
        await Wait.UntilAsync(() => Applied().Count == 1, what: "the first event restarted");

        _redis.Stop();
        await Wait.UntilAsync(async () => !await IsReadyAsync(worker), what: "the worker to report not ready");
        await _redis.StartAgainAsync();
        await worker.WaitUntilReadyAsync();

        // The ingress may need a moment to reconnect; a 503 is an honest answer meanwhile (nothing was stored then).
        await Wait.UntilAsync(async () => await PostRawAsync("""{"image":"ghcr.io/acme/app","tags":["dev"]}""") == HttpStatusCode.Accepted,
            TimeSpan.FromSeconds(60), "the ingress to accept again");
        await Wait.UntilAsync(() => Applied().Count == 3, what: "the event after the restart restarted");
        Assert.True(await _stream.GroupExistsAsync());
        await Wait.UntilAsync(async () => await _stream.PendingAsync() == 0, what: "every entry acknowledged");
        Assert.Single(Applied(), p => p.Path.EndsWith("shop/deployments/api", StringComparison.Ordinal));
    }

    private Task<WorkerServer> StartWorkerAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Delivery:Mode"] = "stream",
            // Short, so a failed entry comes back soon; not shorter: the worker's heartbeat (every third of it) must keep
            // its running entries from being claimed, which would count a delivery, on a loaded machine too.
            ["Delivery:ClaimIdle"] = "00:00:03",
        };
        foreach (var (key, value) in extra ?? [])
            settings[key] = value;
        return WorkerServer.StartAsync(_redis.Address, Channel, _api, extra: settings);
    }

    private List<RecordedRequest> Applied() => [.. _api.Requests.Where(r => r.IsPatch && r.Status == 200)];

    private static GitHubTrigger Trigger() => new("acme/app", "acme", "refs/heads/main", "abc", "build", "octocat", "1");

    private static byte[] Envelope(ImageUpdated message) =>
        MessageEnvelopeWriter.Write(message, message.EventId, new Uri("valkey:test"), new Uri("valkey:stream/test"));

    private static async Task<bool> IsReadyAsync(WorkerServer worker)
    {
        using var response = await worker.Client.GetAsync("/readyz");
        return response.IsSuccessStatusCode;
    }

    private async Task PostAsync(string body) => Assert.Equal(HttpStatusCode.Accepted, await PostRawAsync(body));

    private async Task<HttpStatusCode> PostRawAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", _issuer.CreateToken());
        using var response = await _ingress.Client.SendAsync(request);
        return response.StatusCode;
    }
}
