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
}
