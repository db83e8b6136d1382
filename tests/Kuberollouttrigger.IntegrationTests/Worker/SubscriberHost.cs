using System.Diagnostics.Metrics;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Coalescing;
using Kuberollouttrigger.RolloutWorker.Delivery;
using Kuberollouttrigger.RolloutWorker.Messaging;
using Kuberollouttrigger.RolloutWorker.Rollouts;
using Kuberollouttrigger.Transport.Receiving;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kuberollouttrigger.IntegrationTests.Worker;

/// <summary>
/// The worker's production messaging (Valkey receive path -> MassTransit dispatcher -> filters -> consumer) in a host,
/// with the Kubernetes seam replaced, for tests about the adapter itself.
/// </summary>
public sealed class SubscriberHost : IAsyncDisposable
{
    private readonly IHost _host;

    private SubscriberHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public SubscriptionState Subscription => _host.Services.GetRequiredService<SubscriptionState>();

    /// <summary>Collects one of the receive path's counters of this host (its own meter factory, so other hosts do not count).</summary>
    public MetricCollector<long> Collect(string instrument) => new(_host.Services.GetRequiredService<IMeterFactory>(), ReceiveMetrics.MeterName, instrument);

    public static async Task<SubscriberHost> StartAsync(string valkeyAddress, string channel, IWorkloadIndex index, IWorkloadRestarter restarter)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Valkey:Address"] = valkeyAddress,
            ["Valkey:Channel"] = channel,
            ["Worker:AllowedImagePrefix"] = "ghcr.io/acme",
            ["Rollout:RetryMinInterval"] = "00:00:00.020",
            ["Rollout:RetryMaxInterval"] = "00:00:00.200",
            ["Rollout:RetryJitter"] = "00:00:00.010",
        });
        builder.Logging.AddFilter(_ => false);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddEventDelivery(builder.Configuration, "subscriber-test");
        builder.Services.AddMessaging(builder.Configuration);
        builder.Services.AddCoalescing(builder.Configuration);
        builder.Services.AddRollouts(builder.Configuration);
        builder.Services.Replace(ServiceDescriptor.Singleton<IRolloutFollower, NoRolloutFollower>());
        builder.Services.AddSingleton(index);
        builder.Services.AddSingleton(restarter);
        var host = builder.Build();
        await host.StartAsync();
        var state = host.Services.GetRequiredService<SubscriptionState>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!state.IsSubscribed)
        {
            if (DateTime.UtcNow > deadline)
            {
                await host.StopAsync();
                host.Dispose();
                throw new TimeoutException("the subscriber did not subscribe within 30 s");
            }
            await Task.Delay(20);
        }
        return new SubscriberHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
