using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Streams;
using MassTransit;
using MassTransit.Transports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Transport.Receiving;

public static class ValkeyReceiveExtensions
{
    /// <summary>
    /// Feeds Valkey into the receive endpoint of <typeparamref name="TConsumer"/> on the in-memory bus, through
    /// <see cref="IReceiveEndpointDispatcherFactory"/> (the consumer's definition supplies its endpoint policy): the
    /// PubSub channel, or with DELIVERY_MODE=stream the stream's consumer group, chosen from the validated options at
    /// start. Both take the same path (<see cref="DeliveryHandler"/>), readiness check, metrics and dead-letter stream.
    /// </summary>
    public static IServiceCollection AddValkeyReceiveEndpoint<TConsumer>(this IServiceCollection services, IConfiguration configuration, ReceiveEndpointDefinition endpoint)
        where TConsumer : class, IConsumer
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(endpoint);
        services.AddValkeyConnection(configuration, endpoint.ClientName);
        services.AddOptions<ValkeyReceiveOptions>()
            .Bind(configuration.GetSection(ValkeyReceiveOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddStreamDeliveryOptions(configuration, (o, sp) => o.Consumer = endpoint.ConsumerName(sp));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(endpoint);
        services.AddSingleton(sp => StreamNames.For(sp.GetRequiredService<IOptions<ValkeyOptions>>().Value));
        services.AddSingleton<SubscriptionState>();
        services.AddSingleton<ReceiveMetrics>();
        services.AddSingleton<DeadLetters>();
        services.AddSingleton<InFlightEntries>();
        services.AddSingleton<DeliveryHandler>();
        services.AddSingleton<ValkeySubscriber>();
        services.AddSingleton<ValkeyStreamReceiver>();
        services.AddConsumerDispatcher<TConsumer>(endpoint.EndpointName);
        services.AddHealthChecks().AddCheck<SubscriptionHealthCheck>("valkey-subscription", tags: ["ready"]);
        services.AddHostedService<ValkeyReceiver>();
        return services;
    }

    /// <summary>
    /// The receive endpoint dispatcher of <typeparamref name="TConsumer"/>, created once and shared by whatever feeds
    /// the endpoint (the receive path, and the application's own re-dispatches).
    /// </summary>
    public static IServiceCollection AddConsumerDispatcher<TConsumer>(this IServiceCollection services, string endpointName)
        where TConsumer : class, IConsumer
    {
        services.TryAddSingleton<IReceiveEndpointDispatcher>(sp => sp.GetRequiredService<IReceiveEndpointDispatcherFactory>().CreateConsumerReceiver<TConsumer>(endpointName));
        return services;
    }
}
