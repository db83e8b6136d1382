using Microsoft.Extensions.DependencyInjection;

namespace Kuberollouttrigger.Ingress.Telemetry;

public static class IngressMetricsExtensions
{
    /// <summary>The ingress's counters, on the host's meter factory (exported on <c>/metrics</c>).</summary>
    public static IServiceCollection AddIngressMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<IngressMetrics>();
        return services;
    }
}
