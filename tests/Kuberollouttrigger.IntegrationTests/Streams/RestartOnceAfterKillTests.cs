using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;
using Xunit.Abstractions;

namespace Kuberollouttrigger.IntegrationTests.Streams;

/// <summary>
/// A restart happens once per event and workload even when a worker dies mid-PATCH. The fake API applies the first
/// worker's PATCH requests and holds their answers; the worker (the published executable) is killed by pid with those
/// answers outstanding and the rest of its events not yet patched; another worker claims the events and restarts
/// every workload that is still due, and none twice: those already carrying the event's
/// <c>kuberollouttrigger.io/last-event-id</c> are "already restarted by this event".
/// </summary>
[Collection(nameof(WorkerProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class RestartOnceAfterKillTests(SharedServers servers, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] App = ["shop/web", "blog/web", "shop/admin", "ops/web", "qa/web"];
    private static readonly string[] Docs = ["shop/docs", "blog/docs", "ops/docs"];
    private static readonly string[] Api = ["shop/api"];
    private static readonly string[] Batch = ["shop/batch", "ops/batch"];
    private readonly RedisServer _redis = servers.Redis;
    private readonly OidcIssuer _issuer = servers.Issuer;
    private FakeKubernetesApi _api = null!;
    private IngressServer _ingress = null!;
    private string _kubeconfig = null!;

    private string Channel { get; } = servers.NewChannel("restart-once");

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        var settings = IngressServer.Settings(_redis.Address, Channel, _issuer);
        settings["Delivery:Mode"] = "stream";
        _ingress = await IngressServer.StartAsync(settings);
        foreach (var (workloads, image) in new[] { (App, "app"), (Docs, "docs"), (Api, "api"), (Batch, "batch") })
        {
            foreach (var workload in workloads)
                _api.AddDeployment(workload.Split('/')[0], workload.Split('/')[1], [$"ghcr.io/acme/{image}:dev"]);
        }
        _kubeconfig = _api.WriteKubeconfig(Path.GetTempPath());
    }

    public async Task DisposeAsync()
    {
        File.Delete(_kubeconfig);
        await _ingress.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Worker_killed_after_its_PATCHes_were_applied_leaves_no_workload_restarted_twice()
    {
        var all = App.Concat(Docs).Concat(Api).Concat(Batch).ToList();
        var hold = _api.HoldAnswers("PATCH", "/deployments/");
        var events = new List<Guid>();
        using (var first = await StartWorkerAsync(maxParallelRestarts: 2))
        {
            events.Add(await PostAsync("ghcr.io/acme/app"));
            events.Add(await PostAsync("ghcr.io/acme/docs"));
            // Two PATCH requests in flight per event: applied, their answers held; the others not sent yet.
            await Wait.UntilAsync(() => hold.Arrived == 4, what: "four applied PATCH requests with their answers held");
            first.Stop();
            await Wait.UntilAsync(() => _api.Requests.Count(r => r.IsPatch && r.AnswerLost) == 4, what: "the held answers lost with the killed worker");
        }
        var appliedBeforeTheKill = Applied().Select(r => Workload(r.Path)).ToList();

        // Accepted while no worker runs: the stream keeps them.
        events.Add(await PostAsync("ghcr.io/acme/api"));
        events.Add(await PostAsync("ghcr.io/acme/batch"));
        hold.Release();
        using var second = await StartWorkerAsync(maxParallelRestarts: 8);

        await using var valkey = await _redis.ConnectAsync();
        var inspector = new StreamInspector(valkey, Channel);
        await Wait.UntilAsync(() => events.All(id => second.Output.Contains($"\"message\":\"Event {id}: image ", StringComparison.Ordinal)), TimeSpan.FromSeconds(60),
            "the summary line of every event from the second worker");
        await Wait.UntilAsync(async () => await inspector.PendingAsync() == 0, what: "every entry acknowledged");

        var patches = Applied().GroupBy(r => Workload(r.Path)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var duplicates = patches.Values.Sum(n => n - 1);
        output.WriteLine($"events {events.Count}, workloads {all.Count}, restarts (applied PATCH requests) {patches.Values.Sum()}, duplicates {duplicates}, " +
            $"applied by the killed worker {appliedBeforeTheKill.Count}, already restarted by this event (second worker) {Count(second.Output, "already-restarted")}");
        Assert.Equal(all.Order(StringComparer.Ordinal), patches.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, duplicates);
        Assert.Equal(4, appliedBeforeTheKill.Count);
        foreach (var workload in appliedBeforeTheKill)
            Assert.Contains($"{workload} already-restarted: already restarted by this event", second.Output, StringComparison.Ordinal);
        Assert.Equal(4, Count(second.Output, "already-restarted: already restarted by this event"));
        Assert.Empty(await inspector.DeadLettersAsync());
        Assert.Contains("Claimed stream entry", second.Output, StringComparison.Ordinal);
    }

    private static string Workload(string path)
    {
        var parts = path.Split('/');
        return $"{parts[5]}/{parts[7]}";
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    private Task<ChildProcess> StartWorkerAsync(int maxParallelRestarts) => StreamWorkerProcess.StartAsync(_redis, Channel, _kubeconfig, maxParallelRestarts);

    private List<RecordedRequest> Applied() => [.. _api.Requests.Where(r => r.IsPatch && r.Status == 200)];

    private async Task<Guid> PostAsync(string image)
    {
        using var response = await WebProcess.PostAsync(_ingress.Client, _issuer.CreateToken(), $$"""{"image":"{{image}}","tags":["dev"]}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("eventId").GetGuid();
    }
}
