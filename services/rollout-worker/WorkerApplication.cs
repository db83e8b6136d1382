using Kuberollouttrigger.Common.Hosting;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Delivery;
using Kuberollouttrigger.RolloutWorker.Messaging;
using Kuberollouttrigger.RolloutWorker.Progress;
using Kuberollouttrigger.RolloutWorker.Rollout;
using Kuberollouttrigger.Transport.Receiving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Kuberollouttrigger.RolloutWorker;

/// <summary>The <c>worker</c> mode: Valkey subscriber -> MassTransit consumer -> Kubernetes restarts; health on its own port.</summary>
public static class WorkerApplication
{
    public const string ServiceName = "kuberollouttrigger-worker";

    public static WebApplication Build(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = ServiceDefaultsExtensions.CreateBuilder(settings, ServiceName);
        builder.AddWorker();
        var app = builder.Build();
        app.MapHealthEndpoints();
        return app;
    }

    public static WebApplicationBuilder AddWorker(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRolloutMessaging(builder.Configuration);
        builder.Services.AddKubernetesRollout(builder.Configuration);
        builder.Services.AddRolloutProgress(builder.Configuration);
        builder.Services.AddEventDelivery(builder.Configuration, ServiceName);
        builder.Services.AddHostedService<WorkerStartupSummary>();
        var listen = ListenAddress.Parse(builder.Configuration[WorkerSettings.HealthAddr.ConfigKey]) ?? ListenAddress.Parse(":8081")!;
        builder.ListenOn(listen);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        return builder;
    }
}
