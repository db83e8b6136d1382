using System.Diagnostics.Metrics;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;
using Kuberollouttrigger.Transport.Publishing;
using Kuberollouttrigger.Transport.Receiving;
using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.Streams;

/// <summary>
/// A message that failed for good lands in the dead-letter stream in both delivery modes, with its reason and delivery
/// count, and is counted; the replay commands docs/worker.md gives, run as written with valkey-cli (or redis-cli),
/// bring it back and the workload restarts. Real worker composition, redis-server, fake Kubernetes API.
/// </summary>
public sealed class DeadLetterReplayTests : IAsyncLifetime
{
    private const string Channel = "kuberollouttrigger";
    private RedisServer _redis = null!;
    private FakeKubernetesApi _api = null!;
    private ConnectionMultiplexer _valkey = null!;
    private StreamInspector _stream = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _api = await FakeKubernetesApi.StartAsync();
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        _valkey = await _redis.ConnectAsync();
        _stream = new StreamInspector(_valkey, Channel);
    }

    public async Task DisposeAsync()
    {
        await _valkey.DisposeAsync();
        await _api.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task PubSub_message_failing_after_its_retries_is_dead_lettered_counted_and_the_documented_replay_restarts_it()
    {
        // Two attempts (one retry), both answered 500: the event fails for good; the PATCH after that succeeds.
        _api.Fail("PATCH", "/namespaces/shop/deployments/web", 500, times: 2);
        await using var worker = await WorkerServer.StartAsync(_redis.Address, Channel, _api, extra: new Dictionary<string, string?> { ["Rollout:RetryLimit"] = "1" });
        using var deadLettered = Collect(worker, "kuberollouttrigger.valkey.stream.dead_lettered");

        await _valkey.GetSubscriber().PublishAsync(RedisChannel.Literal(Channel), Envelope());

        await Wait.UntilAsync(async () => (await _stream.DeadLettersAsync()).Count == 1, what: "the failed message dead-lettered");
        var dead = Assert.Single(await _stream.DeadLettersAsync());
        Assert.StartsWith("failed after its retries: TransientKubernetesException", (string)dead[StreamNames.ReasonField]!, StringComparison.Ordinal);
        Assert.Equal(1, (int)dead[StreamNames.DeliveriesField]);
        Assert.Equal(Channel, (string)dead[StreamNames.SourceIdField]!);
        Assert.Equal("application/vnd.masstransit+json", (string)dead[StreamNames.ContentTypeField]!);
        Assert.False(string.IsNullOrEmpty((string?)dead[StreamNames.ConsumerField]));
        Assert.Equal(1, deadLettered.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal("failed", Assert.Single(deadLettered.GetMeasurementSnapshot()).Tags["reason"]);
        Assert.Empty(Applied());

        var output = await RunDocumentedAsync("PUBLISH", dead.Id.ToString());

        Assert.Equal("1", output.Trim());
        await Wait.UntilAsync(() => Applied().Count == 1, what: "the replayed event's PATCH");
    }

    [Fact]
    public async Task Stream_entry_failing_every_delivery_is_dead_lettered_and_the_documented_replay_restarts_it()
    {
        // One delivery allowed, of two attempts, both answered 500; the second delivery is dead-lettered unread.
        _api.Fail("PATCH", "/namespaces/shop/deployments/web", 500, times: 2);
        await using var worker = await WorkerServer.StartAsync(_redis.Address, Channel, _api, extra: new Dictionary<string, string?>
        {
            ["Delivery:Mode"] = "stream",
            // Longer than the first delivery's two attempts take on a slow machine: a claim while that delivery still
            // runs would make it a second, concurrent delivery.
            ["Delivery:ClaimIdle"] = "00:00:05",
            ["Delivery:MaxDeliveries"] = "1",
            ["Rollout:RetryLimit"] = "1",
        });

        var source = await _stream.AddAsync(Envelope());

        await Wait.UntilAsync(async () => (await _stream.DeadLettersAsync()).Count == 1, what: "the failing entry dead-lettered");
        var dead = Assert.Single(await _stream.DeadLettersAsync());
        Assert.Equal("failed 1 deliveries", (string)dead[StreamNames.ReasonField]!);
        Assert.Equal(2, (int)dead[StreamNames.DeliveriesField]);
        Assert.Equal(source.ToString(), (string)dead[StreamNames.SourceIdField]!);
        await Wait.UntilAsync(async () => await _stream.PendingAsync() == 0, what: "the dead-lettered entry acknowledged");
        Assert.Empty(Applied());

        var output = await RunDocumentedAsync("XADD", dead.Id.ToString());

        Assert.Matches("^[0-9]+-[0-9]+$", output.Trim());
        await Wait.UntilAsync(() => Applied().Count == 1, what: "the replayed entry's PATCH");
        await Wait.UntilAsync(async () => await _stream.PendingAsync() == 0, what: "the replayed entry acknowledged");
    }

    private static byte[] Envelope()
    {
        var message = new ImageUpdated(Guid.NewGuid(), "ghcr.io/acme/app", ["dev"], null, DateTimeOffset.UtcNow);
        return MessageEnvelopeWriter.Write(message, message.EventId, new Uri("valkey:test"), new Uri("valkey:channel/test"));
    }

    private static MetricCollector<long> Collect(WorkerServer worker, string instrument) =>
        new(worker.Services.GetRequiredService<IMeterFactory>(), ReceiveMetrics.MeterName, instrument);

    private List<RecordedRequest> Applied() => [.. _api.Requests.Where(r => r.IsPatch && r.Status == 200)];

    /// <summary>
    /// Runs the replay command of docs/worker.md whose script uses <paramref name="command"/>, exactly as written, with
    /// <c>id</c> set and <c>valkey-cli</c> pointed at this test's server; returns what it printed.
    /// </summary>
    private async Task<string> RunDocumentedAsync(string command, string id)
    {
        var line = Assert.Single(File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "worker.md")),
            l => l.StartsWith("valkey-cli EVAL ", StringComparison.Ordinal) && l.Contains($"redis.call('{command}'", StringComparison.Ordinal));
        var port = _redis.Address[(_redis.Address.LastIndexOf(':') + 1)..];
        var cli = File.Exists("/usr/bin/valkey-cli") ? "valkey-cli" : "redis-cli";
        var script = $"set -eu\nvalkey-cli() {{ command {cli} -h 127.0.0.1 -p {port} \"$@\"; }}\nid={id}\n{line}\n";
        using var child = ChildProcess.Start("bash", ["-c", script]);
        Assert.Equal(0, await child.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        return child.Output;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "kuberollouttrigger.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("kuberollouttrigger.sln not found above the test folder");
    }
}
