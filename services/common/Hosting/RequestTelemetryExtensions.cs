using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Kuberollouttrigger.Common.Hosting;

public static class RequestTelemetryExtensions
{
    public static IServiceCollection AddRequestTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<RequestLogMiddleware>();
        return services;
    }

    /// <summary>Gives every response an <c>X-Request-Id</c> and writes one structured log line per request.</summary>
    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app) => app.UseMiddleware<RequestLogMiddleware>();
}
