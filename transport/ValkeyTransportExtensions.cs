using Kuberollouttrigger.Transport.Connection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Transport;

public static class ValkeyTransportExtensions
{
    public static IServiceCollection AddValkeyConnection(this IServiceCollection services, IConfiguration configuration, string clientName)
    {
        services.AddOptions<ValkeyOptions>()
            .Bind(configuration.GetSection(ValkeyOptions.Section))
            .Configure(o => o.ClientName = clientName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ValkeyOptions>, ValkeyOptionsValidator>();
        services.AddMetrics();
        services.AddSingleton<ValkeyConnection>();
        services.AddSingleton<IValkeyConnection>(sp => sp.GetRequiredService<ValkeyConnection>());
        services.AddHealthChecks().AddCheck<ValkeyHealthCheck>("valkey", tags: ["ready"]);
        return services;
    }
}
