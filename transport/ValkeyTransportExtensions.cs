using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Transport;

public static class ValkeyTransportExtensions
{
    /// <summary>Registers the Valkey connection, its readiness check, and the envelope publisher.</summary>
    public static IServiceCollection AddValkeyPublisher(this IServiceCollection services, IConfiguration configuration, string clientName)
    {
        services.AddValkeyConnection(configuration, clientName);
        services.AddSingleton<IValkeyMessagePublisher, ValkeyMessagePublisher>();
        return services;
    }

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
