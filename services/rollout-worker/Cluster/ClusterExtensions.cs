using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

public static class ClusterExtensions
{
    /// <summary>
    /// The cluster side of the worker: one client, the workload index and its watcher (the enabled kinds only), the
    /// restarter and its Event recorder, their metrics, and the <c>workload-index</c> readiness check. Register
    /// <see cref="IWorkloadObserver"/>s to see every object the watcher sees.
    /// </summary>
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterOptions>()
            .Bind(configuration.GetSection(ClusterOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton(sp => KubernetesClientFactory.Create(sp.GetRequiredService<IOptions<ClusterOptions>>()));
        services.AddSingleton<WorkloadIndex>();
        services.AddSingleton<IWorkloadIndex>(sp => sp.GetRequiredService<WorkloadIndex>());
        services.AddSingleton<ClusterMetrics>();
        services.AddSingleton<RolloutEventRecorder>();
        services.AddSingleton<IWorkloadRestarter, WorkloadRestarter>();
        services.AddHostedService<WorkloadWatcher>();
        services.AddHealthChecks().AddCheck<WorkloadIndexHealthCheck>("workload-index", tags: ["ready"]);
        return services;
    }
}
