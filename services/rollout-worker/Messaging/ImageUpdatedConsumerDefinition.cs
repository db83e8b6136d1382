using MassTransit;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>
/// Endpoint policy of the rollout consumer: exponential retry with jitter, only for failures a later attempt may fix
/// (<see cref="RetryPolicy.IsTransient"/>). Invalid messages are not retried; 403 and 404 never reach here, they are outcomes.
/// </summary>
public sealed class ImageUpdatedConsumerDefinition(IOptions<RolloutOptions> options) : ConsumerDefinition<ImageUpdatedConsumer>
{
    public const string QueueName = "image-updated";

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ImageUpdatedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        var o = options.Value;
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Exponential(o.RetryLimit, o.RetryMinInterval, o.RetryMaxInterval, o.RetryJitter);
            r.Handle<Exception>(RetryPolicy.IsTransient);
        });
    }
}
