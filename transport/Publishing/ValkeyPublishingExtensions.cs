using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Transport.Publishing;

public static class ValkeyPublishingExtensions
{
    /// <summary>
    /// The web mode's side of delivery, chosen by the validated DELIVERY_MODE: the PubSub publisher, or the
    /// <see cref="ValkeyStreamPublisher"/>, in which case the consumer group is also created at start.
    /// </summary>
    public static IServiceCollection AddValkeyPublishing(this IServiceCollection services, IConfiguration configuration, string clientName)
    {
        services.AddValkeyConnection(configuration, clientName);
        services.AddStreamDeliveryOptions(configuration);
        services.AddSingleton<ValkeyMessagePublisher>();
        services.AddSingleton<ValkeyStreamPublisher>();
        services.AddSingleton<IValkeyMessagePublisher>(sp => IsStream(sp)
            ? sp.GetRequiredService<ValkeyStreamPublisher>()
            : sp.GetRequiredService<ValkeyMessagePublisher>());
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
