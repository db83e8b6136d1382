using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Receiving;
using MassTransit;
using MassTransit.Transports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Transport.Streams;

public static class ValkeyStreamExtensions
{
    /// <summary>Binds and validates <see cref="StreamDeliveryOptions"/>; both modes read DELIVERY_MODE.</summary>
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
    /// Stream delivery into the receive endpoint of <typeparamref name="TConsumer"/>, the counterpart of
    /// <see cref="ValkeyReceiveExtensions.AddValkeyReceiveEndpoint{TConsumer}"/>: the same readiness check, counters and
    /// dispatch path; <paramref name="consumerName"/> names this process in the consumer group.
    /// </summary>
    public static IServiceCollection AddValkeyStreamReceiveEndpoint<TConsumer>(this IServiceCollection services, IConfiguration configuration, string clientName,
        string endpointName, Func<IServiceProvider, string> consumerName)
        where TConsumer : class, IConsumer
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValkeyConnection(configuration, clientName);
        services.AddOptions<ValkeyReceiveOptions>()
            .Bind(configuration.GetSection("Receive"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddStreamDeliveryOptions(configuration, (o, sp) => o.Consumer = consumerName(sp));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(MessageRefusal.None);
        services.AddSingleton<SubscriptionState>();
        services.AddSingleton<ReceiveCounters>();
        services.AddSingleton<StreamCounters>();
        services.AddSingleton<InFlightEntries>();
        services.AddSingleton(sp => StreamNames.For(sp.GetRequiredService<IOptions<ValkeyOptions>>().Value.Channel));
        services.AddConsumerDispatcher<TConsumer>(endpointName);
        services.AddSingleton(sp => new StreamEntryHandler(
            sp.GetRequiredService<IReceiveEndpointDispatcher>(),
            sp.GetRequiredService<ReceiveCounters>(),
            sp.GetRequiredService<StreamCounters>(),
            sp.GetRequiredService<InFlightEntries>(),
            sp.GetRequiredService<MessageRefusal>(),
            sp.GetRequiredService<StreamNames>(),
            sp.GetRequiredService<IOptions<StreamDeliveryOptions>>(),
            sp.GetRequiredService<ILogger<StreamEntryHandler>>()));
        services.AddHealthChecks().AddCheck<SubscriptionHealthCheck>("valkey-subscription", tags: ["ready"]);
        services.AddHostedService<ValkeyStreamReceiver>();
        return services;
    }
}
