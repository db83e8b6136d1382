using Kuberollouttrigger.Common.Hosting;
using Kuberollouttrigger.IntegrationTests.Collections;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.Testing.FakeKube;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kuberollouttrigger.IntegrationTests.Kubernetes;

/// <summary>
/// A watch the API server ends after its timeoutSeconds without sending a line (no change, no bookmark) is a normal
/// end: KubernetesClient surfaces it as an HttpRequestException around an EndOfStreamException, and the watcher
/// watches again at once, at debug level, without backing off. A real failure is a warning naming the API URL, the
/// status and the error. Every request carries the user agent kuberollouttrigger/&lt;version&gt;.
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class WatchEndTests
{
    [Fact]
    public async Task A_quiet_watch_that_times_out_is_watched_again_at_once_without_a_warning()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.BookmarkInterval = TimeSpan.FromHours(1);
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        var logs = new LogCapture();
        await using var cluster = await StartAsync(api, logs);

        // Four quiet watches of one second each; a backoff would have made the later ones wait 0.5, 1, 2 s.
        await Wait.UntilAsync(() => api.Requests.Count(r => r.IsWatch) >= 5, TimeSpan.FromSeconds(30), "five watches");

        var watches = api.Requests.Where(r => r.IsWatch).Take(5).ToList();
        Assert.All(watches.Skip(1), w => Assert.Equal(watches[0].QueryValue("resourceVersion"), w.QueryValue("resourceVersion")));
        Assert.DoesNotContain(logs.Entries, e => e.Category.EndsWith("WorkloadWatcher", StringComparison.Ordinal) && e.Level >= LogLevel.Warning);
        var ended = logs.Entries.Where(e => e.EventId == 404).ToList();
        Assert.True(ended.Count >= 4, $"{ended.Count} watch ends logged");
        Assert.All(ended, e => Assert.Equal(LogLevel.Debug, e.Level));
        Assert.StartsWith("Watch of deployments in all namespaces ended after its 1 s; watching again from resourceVersion ", ended[0].Message, StringComparison.Ordinal);
        // Each quiet watch lasts its second, and the next follows at once: no growing pause between them.
        for (var i = 2; i < watches.Count; i++)
            Assert.True(watches[i].At - watches[i - 1].At < TimeSpan.FromSeconds(5), $"watch {i} came {watches[i].At - watches[i - 1].At} after the one before");
    }

    [Fact]
    public async Task A_failing_watch_is_a_warning_with_the_url_the_status_and_the_error()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        api.Fail("GET", "/apis/apps/v1/deployments", 500, times: 2);
        var logs = new LogCapture();
        await using var cluster = await StartAsync(api, logs, waitForSync: false);

        await Wait.UntilAsync(() => logs.Entries.Any(e => e.EventId == 402), what: "the failure line");

        var failed = logs.Entries.First(e => e.EventId == 402);
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Equal(api.BaseAddress.ToString().TrimEnd('/') + "/apis/apps/v1/deployments", failed.Fields["ApiUrl"]);
        Assert.Equal("500", failed.Fields["Status"]);
        Assert.Equal("HttpOperationException", failed.Fields["ErrorType"]);
        Assert.Contains("InternalServerError", (string)failed.Fields["Error"]!, StringComparison.Ordinal);
        await Wait.UntilAsync(() => cluster.Index.IsSynced, what: "the index, once the API answers again");
    }

    [Fact]
    public async Task Every_Kubernetes_request_names_the_worker_and_its_version()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        await using var cluster = await StartAsync(api, new LogCapture());

        await cluster.Restarter.RestartAsync(WorkloadKey.Deployment("shop", "web"), new RestartAudit(Guid.NewGuid(), null, null, null), CancellationToken.None);

        Assert.Contains(api.Requests, r => r.IsList);
        Assert.Contains(api.Requests, r => r.IsPatch);
        Assert.All(api.Requests, r => Assert.Equal($"kuberollouttrigger/{ProductVersion.Current}", r.UserAgent));
        Assert.Matches(@"^\d+\.\d+\.\d+", ProductVersion.Current);
    }

    private static async Task<Running> StartAsync(FakeKubernetesApi api, LogCapture logs, bool waitForSync = true)
    {
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kubernetes:Kubeconfig"] = kubeconfig,
            ["Kubernetes:WatchTimeout"] = "00:00:01",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        services.AddSingleton(TimeProvider.System);
        services.AddCluster(configuration);
        var running = new Running(services.BuildServiceProvider());
        foreach (var hosted in running.Hosted)
            await hosted.StartAsync(CancellationToken.None);
        File.Delete(kubeconfig);
        if (waitForSync)
            await Wait.UntilAsync(() => running.Index.IsSynced, what: "the first list");
        return running;
    }

    private sealed class Running(ServiceProvider provider) : IAsyncDisposable
    {
        public List<IHostedService> Hosted { get; } = [.. provider.GetServices<IHostedService>()];

        public WorkloadIndex Index => provider.GetRequiredService<WorkloadIndex>();

        public IWorkloadRestarter Restarter => provider.GetRequiredService<IWorkloadRestarter>();

        public async ValueTask DisposeAsync()
        {
            foreach (var hosted in Hosted)
                await hosted.StopAsync(CancellationToken.None);
            await provider.DisposeAsync();
        }
    }
}
