using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;
using Kuberollouttrigger.Transport.Streams;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>
/// Forged bytes on Valkey against the real worker executable: every hostile message is dropped (PubSub) or
/// dead-lettered at once (stream) and counted, and the process goes on to restart the next valid event.
/// </summary>
[Collection(nameof(HostileInputProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class HostileMessageTests(SharedServers servers)
{
    private const string ValidEvent = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";

    private string Channel { get; } = servers.NewChannel("hostile");

    [Fact]
    public async Task PubSub_worker_survives_every_hostile_message_drops_and_counts_it_and_restarts_the_next_valid_event()
    {
        var corpus = HostileMessages.Corpus();
        await using var worker = await WorkerProcess.StartAsync(servers.Redis, Channel, delivery: "pubsub");
        var channel = RedisChannel.Literal(Channel);
        var subscriber = worker.Valkey.GetSubscriber();

        foreach (var message in corpus)
            await subscriber.PublishAsync(channel, message);
        await subscriber.PublishAsync(channel, ValidEvent);

        await worker.UntilAsync(async () => worker.Patches().Count == 1, "the valid event's PATCH");
        await worker.UntilAsync(async () => Handled(await worker.ScrapeAsync()) == corpus.Count + 1, "every message received and handled");

        var metrics = await worker.ScrapeAsync();
        Assert.False(worker.Process.HasExited, worker.Process.Output);
        Assert.Equal(corpus.Count + 1, metrics.Value("kuberollouttrigger_valkey_messages_received_total"));
        Assert.Equal(1 + DecoyDispatches(metrics, corpus.Count), metrics.Value("kuberollouttrigger_valkey_messages_dispatched_total"));
        Assert.DoesNotContain("Unhandled exception", worker.Process.Output, StringComparison.Ordinal);
        Assert.Single(worker.Patches());
        Assert.EndsWith("/namespaces/shop/deployments/web", worker.Patches()[0].Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_worker_dead_letters_every_hostile_entry_on_its_first_delivery_and_restarts_the_next_valid_event()
    {
        var corpus = HostileMessages.Corpus(randomCount: 60);
        await using var worker = await WorkerProcess.StartAsync(servers.Redis, Channel, delivery: "stream");
        var names = StreamNames.For(Channel);
        var db = worker.Valkey.GetDatabase();

        foreach (var body in corpus)
            await db.StreamAddAsync(names.Stream, [new NameValueEntry(StreamNames.BodyField, body), new NameValueEntry(StreamNames.ContentTypeField, "application/vnd.masstransit+json")]);
        await db.StreamAddAsync(names.Stream, [new NameValueEntry(StreamNames.BodyField, ValidEvent), new NameValueEntry(StreamNames.ContentTypeField, "application/json")]);

        await worker.UntilAsync(async () => worker.Patches().Count == 1, "the valid entry's PATCH");
        var inspector = new StreamInspector(worker.Valkey, Channel);
        await worker.UntilAsync(async () => await inspector.PendingAsync() == 0 && await inspector.LengthAsync() == corpus.Count + 1, "every entry acknowledged");

        var deadLetters = await inspector.DeadLettersAsync();
        Assert.False(worker.Process.HasExited, worker.Process.Output);
        Assert.All(deadLetters, entry => Assert.Equal(1, (long)entry[StreamNames.DeliveriesField]));
        var metrics = await worker.ScrapeAsync();
        Assert.Equal(deadLetters.Count, metrics.Value("kuberollouttrigger_valkey_stream_dead_lettered_total"));
        // Every entry was either dead-lettered or is a decoy that happened to stay a valid envelope and matched nothing.
        Assert.Equal(corpus.Count, deadLetters.Count + DecoyDispatches(metrics, corpus.Count));
        Assert.Single(worker.Patches());
    }

    private static double Handled(PrometheusScrape metrics) =>
        metrics.Value("kuberollouttrigger_valkey_messages_unreadable_total")
        + metrics.Value("kuberollouttrigger_valkey_messages_dispatched_total")
        + metrics.Value("kuberollouttrigger_valkey_messages_failed_total");

    /// <summary>Mutations that stayed a valid envelope for the decoy image: consumed, matching nothing.</summary>
    private static double DecoyDispatches(PrometheusScrape metrics, int corpusCount)
    {
        var decoys = metrics.Value("kuberollouttrigger_events_consumed_total") - 1;
        Assert.InRange(decoys, 0, corpusCount);
        return decoys;
    }

    /// <summary>The real worker executable on the collection's redis-server and a fake Kubernetes API of its own, with shop/web running the valid event's image.</summary>
    private sealed class WorkerProcess : IAsyncDisposable
    {
        private readonly FakeKubernetesApi _api;
        private readonly string _kubeconfig;
        private readonly HttpClient _client;

        private WorkerProcess(FakeKubernetesApi api, string kubeconfig, ChildProcess process, ConnectionMultiplexer valkey, int port)
        {
            (_api, _kubeconfig, Process, Valkey) = (api, kubeconfig, process, valkey);
            _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        }

        public ChildProcess Process { get; }

        public ConnectionMultiplexer Valkey { get; }

        public static async Task<WorkerProcess> StartAsync(RedisServer redis, string channel, string delivery)
        {
            var api = await FakeKubernetesApi.StartAsync();
            api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
            api.AddDeployment("shop", "decoy", ["ghcr.io/acme/other:dev"]);
            var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
            var port = FreePort.Next();
            var process = HostProcess.Start(["worker", "--health-addr", $"127.0.0.1:{port}"], new Dictionary<string, string?>
            {
                ["VALKEY_ADDR"] = redis.Address,
                ["VALKEY_CHANNEL"] = channel,
                ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
                ["KUBECONFIG"] = kubeconfig,
                ["DELIVERY_MODE"] = delivery,
            });
            await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/readyz"), process);
            return new WorkerProcess(api, kubeconfig, process, await redis.ConnectAsync(), port);
        }

        /// <summary>Waits for <paramref name="condition"/>; fails at once, with the output, when the worker exits meanwhile.</summary>
        public async Task UntilAsync(Func<Task<bool>> condition, string what)
        {
            try
            {
                await Wait.UntilAsync(async () => !Process.HasExited && await condition(), TimeSpan.FromSeconds(60), what);
            }
            catch (Xunit.Sdk.XunitException e)
            {
                throw new Xunit.Sdk.XunitException($"{e.Message}; the worker {(Process.HasExited ? $"exited ({Process.ExitCode})" : "runs")}:\n{Process.Output}");
            }
        }

        public IReadOnlyList<RecordedRequest> Patches() => _api.Requests.Where(r => r.IsPatch).ToList();

        public Task<PrometheusScrape> ScrapeAsync() => PrometheusScrape.FromAsync(_client);

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            Process.Stop();
            Process.Dispose();
            await Valkey.DisposeAsync();
            await _api.DisposeAsync();
            File.Delete(_kubeconfig);
        }
    }
}
