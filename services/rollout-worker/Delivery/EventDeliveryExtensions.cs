using Kuberollouttrigger.RolloutWorker.Messaging;
using Kuberollouttrigger.Transport.Receiving;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuberollouttrigger.RolloutWorker.Delivery;

/// <summary>
/// Where the worker's events come from: the PubSub channel (DELIVERY_MODE=pubsub, the default) or the consumer group
/// of the Valkey Stream (DELIVERY_MODE=stream), both into the same MassTransit receive endpoint. The worker tells the
/// transport what it knows of its messages: the ordering key (the image), which failures are refusals (a message the
/// consumer refused goes to the dead-letter stream at once), and its name in the consumer group.
/// </summary>
public static class EventDeliveryExtensions
{
    public static IServiceCollection AddEventDelivery(this IServiceCollection services, IConfiguration configuration, string clientName) =>
        services.AddValkeyReceiveEndpoint<ImageUpdatedConsumer>(configuration, new ReceiveEndpointDefinition(
            clientName,
            ImageUpdatedConsumerDefinition.QueueName,
            ImageOrderingKey.Of,
            e => e is RejectedMessageException,
            sp => sp.GetRequiredService<WorkerIdentity>().Id,
            MessageIdLogField: "event_id"));
}
