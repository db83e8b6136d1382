using Kuberollouttrigger.Common.Hosting;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Coalescing;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.RolloutWorker.Delivery;
using Kuberollouttrigger.RolloutWorker.Messaging;
using Kuberollouttrigger.RolloutWorker.Rollouts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker;

/// <summary>
/// The <c>worker</c> mode, stage by stage: Valkey (<see cref="EventDeliveryExtensions.AddEventDelivery"/>) → MassTransit
/// filters and consumer (<see cref="MessagingExtensions.AddMessaging"/>, <see cref="CoalescingExtensions.AddCoalescing"/>)
/// → the cluster (<see cref="ClusterExtensions.AddCluster"/>) → rollouts and status (<see cref="RolloutsExtensions.AddRollouts"/>);
/// health and metrics on its own port.
/// </summary>
public static class WorkerApplication
{
    public const string ServiceName = "kuberollouttrigger-worker";

    public static WebApplication Build(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = ServiceDefaultsExtensions.CreateBuilder(settings, ServiceName);
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddEventDelivery(configuration, ServiceName);
        services.AddMessaging(configuration);
        services.AddCoalescing(configuration);
        services.AddCluster(configuration);
        services.AddRollouts(configuration);
        services.AddHostedService<WorkerStartupSummary>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.ListenOn<WorkerOptions>(o => o.HealthAddress);

        var app = builder.Build();
        app.MapHealthEndpoints();
        return app;
    }
}
