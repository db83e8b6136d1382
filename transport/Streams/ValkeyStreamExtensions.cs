using Kuberollouttrigger.Transport.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Transport.Streams;

public static class ValkeyStreamExtensions
{
    /// <summary>Binds and validates <see cref="StreamDeliveryOptions"/> (DELIVERY_MODE and the STREAM_* settings) once; both modes read them.</summary>
    public static IServiceCollection AddStreamDeliveryOptions(this IServiceCollection services, IConfiguration configuration, Action<StreamDeliveryOptions, IServiceProvider>? configure = null)
    {
        var builder = services.AddOptions<StreamDeliveryOptions>()
            .Bind(configuration.GetSection(StreamDeliveryOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configure is not null)
            builder.Configure<IServiceProvider>(configure);
        return services;
    }

    /// <summary>
    /// The web mode's delivery, chosen from the validated options: the PubSub publisher, or with DELIVERY_MODE=stream
    /// <see cref="ValkeyStreamPublisher"/>, whose consumer group <see cref="ConsumerGroupInitializer"/> creates at start.
    /// </summary>
    public static IServiceCollection AddValkeyDeliveryPublisher(this IServiceCollection services, IConfiguration configuration, string clientName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValkeyPublisher(configuration, clientName);
        services.AddStreamDeliveryOptions(configuration);
        services.TryAddSingleton<ValkeyMessagePublisher>();
        services.TryAddSingleton<ValkeyStreamPublisher>();
        services.Replace(ServiceDescriptor.Singleton<IValkeyMessagePublisher>(sp => sp.GetRequiredService<IOptions<StreamDeliveryOptions>>().Value.IsStream
            ? sp.GetRequiredService<ValkeyStreamPublisher>()
            : sp.GetRequiredService<ValkeyMessagePublisher>()));
        services.AddHostedService<ConsumerGroupInitializer>();
        return services;
    }
}
