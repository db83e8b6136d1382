using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Coalescing;
using Kuberollouttrigger.RolloutWorker.Messaging;
using Kuberollouttrigger.RolloutWorker.Rollouts;
using Kuberollouttrigger.Transport;
using Kuberollouttrigger.Transport.Receiving;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuberollouttrigger.IntegrationTests.Worker;

/// <summary>
/// MassTransit's test harness over the production registration of the rollout consumer (retry policy, idempotency
/// and status filters, real Valkey), with a scripted index and restarter in place of the cluster side.
/// </summary>
internal static class ConsumerHarness
{
    public static ServiceProvider Build(string redisAddress, IWorkloadIndex index, IWorkloadRestarter restarter, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Valkey:Address"] = redisAddress,
            ["Valkey:Channel"] = "harness-" + Guid.NewGuid(),
            ["Worker:AllowedImagePrefix"] = "ghcr.io/acme",
            ["Rollout:RetryLimit"] = "5",
            ["Rollout:RetryMinInterval"] = "00:00:00.020",
            ["Rollout:RetryMaxInterval"] = "00:00:00.100",
            ["Rollout:RetryJitter"] = "00:00:00.010",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddValkeyConnection(configuration, "harness");
        services.AddMessagingServices(configuration);
        services.AddCoalescing(configuration);
        services.AddRollouts(configuration);
        services.Replace(ServiceDescriptor.Singleton<IRolloutFollower, NoRolloutFollower>());
        // The coalescing flusher restarts closed windows through the endpoint's dispatcher, as in production.
        services.AddConsumerDispatcher<ImageUpdatedConsumer>(ImageUpdatedConsumerDefinition.QueueName);
        services.AddSingleton(index);
        services.AddSingleton(restarter);
        services.AddMassTransitTestHarness(x =>
        {
            // Tests wait on signals (HarnessSignals), never on the inactivity timer: its quiet spell can fall in the middle
            // of a consume on a loaded machine. As long as the test timeout, it never ends a wait early.
            x.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60), testInactivityTimeout: TimeSpan.FromSeconds(60));
            x.AddRolloutConsumers();
            x.UsingInMemory((context, bus) =>
            {
                bus.ConfigureRolloutBus(context);
                bus.ConfigureEndpoints(context);
            });
        });
        return services.BuildServiceProvider(validateScopes: true);
    }
}
