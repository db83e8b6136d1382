using k8s;
using Kuberollouttrigger.RolloutWorker.Discovery;
using Kuberollouttrigger.RolloutWorker.Kubernetes;
using Kuberollouttrigger.RolloutWorker.Restart;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

public static class ClusterExtensions
{
    /// <summary>The cluster side of the worker: one client, the Deployment index and its watcher, the restarter.</summary>
    public static IServiceCollection AddKubernetesRollout(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterOptions>()
            .Bind(configuration.GetSection(ClusterOptions.Section))
            .Validate(o => o.Namespaces.All(IsNamespaceName), "ALLOWED_NAMESPACES / --allowed-namespaces must be a comma-separated list of namespace names")
            .ValidateOnStart();
        services.AddSingleton(sp => KubernetesClientFactory.Create(sp.GetRequiredService<IOptions<ClusterOptions>>()));
        services.AddSingleton<WorkloadIndex>();
        services.AddSingleton<IWorkloadIndex>(sp => sp.GetRequiredService<WorkloadIndex>());
        services.AddSingleton<IWorkloadRestarter, WorkloadRestarter>();
        services.AddHostedService<WorkloadWatcher>();
        services.AddHealthChecks().AddCheck<IndexSyncHealthCheck>("deployment-index", tags: ["ready"]);
        return services;
    }

    private static bool IsNamespaceName(string name) =>
        name.Length is > 0 and <= 63 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && name[0] != '-' && name[^1] != '-';
}
