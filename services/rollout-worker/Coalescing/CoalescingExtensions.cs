using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuberollouttrigger.RolloutWorker.Coalescing;

public static class CoalescingExtensions
{
    /// <summary>What the coalescing consume filter needs; with COALESCE_WINDOW at 0 (the default) the filter passes every event on.</summary>
    public static IServiceCollection AddCoalescing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CoalescingOptions>()
            .Bind(configuration.GetSection(CoalescingOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CoalescingWindows>();
        services.AddSingleton<CoalescingMetrics>();
        return services;
    }

    /// <summary>The restart of closed windows; needs the receive endpoint's dispatcher, so only the worker with its delivery registers it.</summary>
    public static IServiceCollection AddCoalescingFlusher(this IServiceCollection services) =>
        services.AddHostedService<CoalescingFlusher>();
}
