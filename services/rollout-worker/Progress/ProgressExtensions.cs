using Kuberollouttrigger.RolloutWorker.Kubernetes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuberollouttrigger.RolloutWorker.Progress;

public static class ProgressExtensions
{
    /// <summary>Follows restarted workloads through the worker's watch (needs the cluster registration).</summary>
    public static IServiceCollection AddRolloutProgress(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProgressOptions>()
            .Bind(configuration.GetSection(ProgressOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<RolloutTracker>();
        services.AddSingleton<WorkloadRollouts>();
        services.Replace(ServiceDescriptor.Singleton<IRolloutFollower>(sp => sp.GetRequiredService<WorkloadRollouts>()));
        services.AddSingleton<IWorkloadObserver>(sp => sp.GetRequiredService<WorkloadRollouts>());
        return services;
    }
}
