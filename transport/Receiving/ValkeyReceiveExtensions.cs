using Kuberollouttrigger.Transport.Connection;
using MassTransit;
using MassTransit.Transports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Transport.Receiving;

public static class ValkeyReceiveExtensions
{
    /// <summary>
    /// Feeds the Valkey channel into the receive endpoint of <typeparamref name="TConsumer"/> on the in-memory bus,
    /// through <see cref="IReceiveEndpointDispatcherFactory"/> (the consumer's definition supplies its endpoint policy).
    /// </summary>
    public static IServiceCollection AddValkeyReceiveEndpoint<TConsumer>(this IServiceCollection services, IConfiguration configuration, string clientName, string endpointName)
        where TConsumer : class, IConsumer
    {
        services.AddValkeyConnection(configuration, clientName);
        services.AddOptions<ValkeyReceiveOptions>()
            .Bind(configuration.GetSection("Receive"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SubscriptionState>();
        services.AddSingleton<ReceiveCounters>();
        services.AddHealthChecks().AddCheck<SubscriptionHealthCheck>("valkey-subscription", tags: ["ready"]);
        services.AddConsumerDispatcher<TConsumer>(endpointName);
        services.AddHostedService(sp => new ValkeySubscriber(
            sp.GetRequiredService<IValkeyConnection>(),
            sp.GetRequiredService<IReceiveEndpointDispatcher>(),
            sp.GetRequiredService<SubscriptionState>(),
            sp.GetRequiredService<ReceiveCounters>(),
            sp.GetRequiredService<IOptions<ValkeyOptions>>(),
            sp.GetRequiredService<IOptions<ValkeyReceiveOptions>>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ValkeySubscriber>>()));
        return services;
    }

    /// <summary>
    /// The receive endpoint dispatcher of <typeparamref name="TConsumer"/>, created once and shared by whatever feeds
    /// the endpoint (the subscriber or stream reader, and the worker's own re-dispatches).
    /// </summary>
    public static IServiceCollection AddConsumerDispatcher<TConsumer>(this IServiceCollection services, string endpointName)
        where TConsumer : class, IConsumer
    {
        services.TryAddSingleton<IReceiveEndpointDispatcher>(sp => sp.GetRequiredService<IReceiveEndpointDispatcherFactory>().CreateConsumerReceiver<TConsumer>(endpointName));
        return services;
    }
}
