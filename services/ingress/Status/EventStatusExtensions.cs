using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.Common.Status;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Kuberollouttrigger.Ingress.Status;

public static class EventStatusExtensions
{
    /// <summary>Reading event status records and waiting on them: the store, the one status subscription, the waited POST.</summary>
    public static IServiceCollection AddEventStatus(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<EventWaitOptions>(configuration, EventWaitOptions.Section);
        services.TryAddSingleton<EventStatusStore>();
        services.AddSingleton<StatusNotifications>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<StatusNotifications>());
        services.AddSingleton<EventWait>();
        services.AddSingleton<WaitSlots>();
        return services;
    }
}
