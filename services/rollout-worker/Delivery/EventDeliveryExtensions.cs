using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.RolloutWorker.Coalescing;
using Kuberollouttrigger.RolloutWorker.Idempotency;
using Kuberollouttrigger.RolloutWorker.Rollout;
using Kuberollouttrigger.Transport.Receiving;
using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuberollouttrigger.RolloutWorker.Delivery;

/// <summary>
/// Where the worker's events come from: the PubSub channel (DELIVERY_MODE=pubsub, the default) or the consumer group
/// of the Valkey Stream (DELIVERY_MODE=stream), both into the same MassTransit receive endpoint.
/// </summary>
public static class EventDeliveryExtensions
{
    public static IServiceCollection AddEventDelivery(this IServiceCollection services, IConfiguration configuration, string clientName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddCoalescingFlusher();
        if (!StreamDeliveryOptions.SelectsStream(configuration[DeliverySettings.Mode.ConfigKey]))
        {
            services.AddStreamDeliveryOptions(configuration);
            return services.AddValkeyReceiveEndpoint<ImageUpdatedConsumer>(configuration, clientName, ImageUpdatedConsumerDefinition.QueueName);
        }

        // A message the consumer refuses goes to the dead-letter stream at once; retrying it cannot help.
        services.AddSingleton(new MessageRefusal(e => e is RejectedMessageException));
        return services.AddValkeyStreamReceiveEndpoint<ImageUpdatedConsumer>(configuration, clientName, ImageUpdatedConsumerDefinition.QueueName,
            sp => sp.GetRequiredService<WorkerIdentity>().Id);
    }
}
