using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Transport.Publishing;

public static class ValkeyPublishingExtensions
{
    /// <summary>
    /// The web mode's side of delivery, chosen by the validated DELIVERY_MODE: the one <see cref="ValkeyMessagePublisher"/>,
    /// and with stream delivery the consumer group created at start.
    /// </summary>
    public static IServiceCollection AddValkeyPublishing(this IServiceCollection services, IConfiguration configuration, string clientName)
    {
        services.AddValkeyConnection(configuration, clientName);
        services.AddStreamDeliveryOptions(configuration);
        services.AddSingleton<IValidateOptions<StreamDeliveryOptions>, StreamSlotValidator>();
        services.AddSingleton<IValkeyMessagePublisher, ValkeyMessagePublisher>();
        services.AddSingleton<IHostedService>(sp => IsStream(sp)
            ? ActivatorUtilities.CreateInstance<ConsumerGroupInitializer>(sp)
            : new NothingToStart());
        return services;
    }

    private static bool IsStream(IServiceProvider services) => services.GetRequiredService<IOptions<StreamDeliveryOptions>>().Value.IsStream;

    /// <summary>PubSub keeps nothing, so there is no group to create.</summary>
    private sealed class NothingToStart : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
