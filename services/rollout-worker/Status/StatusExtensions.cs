using Kuberollouttrigger.RolloutWorker.Progress;
using Kuberollouttrigger.Common.Status;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuberollouttrigger.RolloutWorker.Status;

public static class StatusExtensions
{
    /// <summary>The event status record in Valkey; rollouts are followed only when <see cref="ProgressExtensions.AddRolloutProgress"/> ran too.</summary>
    public static IServiceCollection AddEventStatus(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StatusOptions>()
            .Bind(configuration.GetSection(StatusOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<EventStatusStore>();
        services.AddSingleton<EventStatusBook>();
        services.AddSingleton<EventStatusReporter>();
        services.TryAddSingleton<IRolloutFollower, NoRolloutFollower>();
        services.AddHostedService<StatusWriter>();
        return services;
    }
}
