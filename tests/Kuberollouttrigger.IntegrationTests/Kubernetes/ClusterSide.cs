using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.Testing.FakeKube;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kuberollouttrigger.IntegrationTests.Kubernetes;

/// <summary>The worker's production cluster registration (client from a kubeconfig, index, watcher, restarter, Event recorder) against the fake API.</summary>
public sealed class ClusterSide : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<IHostedService> _hosted;

    private ClusterSide(ServiceProvider provider)
    {
        _provider = provider;
        _hosted = [.. provider.GetServices<IHostedService>()];
    }

    public WorkloadIndex Index => _provider.GetRequiredService<WorkloadIndex>();

    public IWorkloadRestarter Restarter => _provider.GetRequiredService<IWorkloadRestarter>();

    public static async Task<ClusterSide> StartAsync(FakeKubernetesApi api, string token = FakeKubeRbac.AdminToken, string? namespaces = null,
        bool dryRun = false, int pageSize = 500, bool waitForSync = true, string? kinds = null, bool emitEvents = false, IWorkloadObserver? observer = null)
    {
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath(), token);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kubernetes:Kubeconfig"] = kubeconfig,
            ["Kubernetes:AllowedNamespaces"] = namespaces,
            ["Kubernetes:DryRun"] = dryRun ? "true" : "false",
            ["Kubernetes:WorkloadKinds"] = kinds ?? "deployments",
            ["Kubernetes:EmitEvents"] = emitEvents ? "true" : "false",
            ["Kubernetes:ListPageSize"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Kubernetes:WatchTimeout"] = "00:00:20",
            ["Kubernetes:ForbiddenRetry"] = "00:00:00.200",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddCluster(configuration);
        if (observer is not null)
            services.AddSingleton(observer);
        var side = new ClusterSide(services.BuildServiceProvider());
        foreach (var hosted in side._hosted)
            await hosted.StartAsync(CancellationToken.None);
        if (waitForSync)
            await Wait.UntilAsync(() => side.Index.IsSynced, what: "the index synced");
        File.Delete(kubeconfig);
        return side;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in _hosted)
            await hosted.StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
    }
}
