using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>The worker's one receive loop: the PubSub subscriber or, with DELIVERY_MODE=stream, the stream's consumer group.</summary>
public sealed class ValkeyReceiver(IOptions<StreamDeliveryOptions> options, ValkeySubscriber subscriber, ValkeyStreamReceiver streamReceiver) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.IsStream ? streamReceiver.RunAsync(stoppingToken) : subscriber.RunAsync(stoppingToken);
}
