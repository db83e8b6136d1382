using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuberollouttrigger.RolloutWorker.Progress;

public static class ProgressExtensions
{
    /// <summary>Follows restarted Deployments through the worker's Deployment watch (needs the cluster registration).</summary>
    public static IServiceCollection AddRolloutProgress(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProgressOptions>()
            .Bind(configuration.GetSection(ProgressOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<RolloutTracker>();
        services.AddSingleton<DeploymentRollouts>();
        services.Replace(ServiceDescriptor.Singleton<IRolloutFollower>(sp => sp.GetRequiredService<DeploymentRollouts>()));
        return services;
    }
}
