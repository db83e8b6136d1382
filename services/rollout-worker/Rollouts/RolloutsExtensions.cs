using Kuberollouttrigger.Common.Status;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuberollouttrigger.RolloutWorker.Rollouts;

public static class RolloutsExtensions
{
    /// <summary>
    /// What follows an event after its restarts: the status record in Valkey (book and writer), and the tracking of each
    /// restarted workload's rollout through the cluster watch (an <see cref="IWorkloadObserver"/>; needs the cluster side).
    /// </summary>
    public static IServiceCollection AddRollouts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StatusOptions>()
            .Bind(configuration.GetSection(StatusOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ProgressOptions>()
            .Bind(configuration.GetSection(ProgressOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EventStatusStore>();
        services.AddSingleton<EventStatusBook>();
        services.AddSingleton<EventStatusReporter>();
        services.AddHostedService<StatusWriter>();
        services.AddSingleton<RolloutTracker>();
        services.AddSingleton<WorkloadRollouts>();
        services.AddSingleton<IRolloutFollower>(sp => sp.GetRequiredService<WorkloadRollouts>());
        services.AddSingleton<IWorkloadObserver>(sp => sp.GetRequiredService<WorkloadRollouts>());
        return services;
    }
}
