using System.Net.Http;
using Kuberollouttrigger.RolloutWorker.Kubernetes;
using MassTransit;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.RolloutWorker.Rollout;

/// <summary>
/// Endpoint policy of the rollout consumer: exponential retry with jitter, only for failures a later attempt may fix
/// (Kubernetes 429/5xx/timeouts, connection errors, Valkey hiccups, an index not synced yet). Invalid messages are not
/// retried; 403 and 404 never reach here, they are outcomes.
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
            r.Handle<TransientKubernetesException>();
            r.Handle<IndexNotReadyException>();
            r.Handle<HttpRequestException>();
            r.Handle<TimeoutException>();
            r.Handle<RedisException>();
            r.Ignore<RejectedMessageException>();
        });
    }
}
