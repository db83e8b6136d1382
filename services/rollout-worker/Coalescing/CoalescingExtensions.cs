using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuberollouttrigger.RolloutWorker.Coalescing;

public static class CoalescingExtensions
{
    /// <summary>
    /// Restart coalescing: what the coalescing consume filter needs, and the flusher that restarts closed windows through
    /// the receive endpoint's dispatcher. With COALESCE_WINDOW at 0 (the default) the filter passes every event on and
    /// the flusher does nothing.
    /// </summary>
    public static IServiceCollection AddCoalescing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CoalescingOptions>()
            .Bind(configuration.GetSection(CoalescingOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CoalescingWindows>();
        services.AddSingleton<CoalescingMetrics>();
        services.AddHostedService<CoalescingFlusher>();
        return services;
    }
}
