using Kuberollouttrigger.Common.Hosting;
using Kuberollouttrigger.Ingress.Abuse;
using Kuberollouttrigger.Ingress.Admission;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.Ingress.Events;
using Kuberollouttrigger.Ingress.Server;
using Kuberollouttrigger.Ingress.Status;
using Kuberollouttrigger.Ingress.Telemetry;
using Kuberollouttrigger.Transport.Publishing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Kuberollouttrigger.Ingress;

/// <summary>
/// The <c>web</c> mode: GitHub OIDC-authenticated event intake publishing to Valkey. <c>POST /event</c> runs
/// authentication (with the failure budget) → <see cref="EventIntake"/> (payload, admission, publish) → a decision →
/// <see cref="Decisions.DecisionResult"/>; see docs/architecture.md.
/// </summary>
public static class IngressApplication
{
    public const string ServiceName = "kuberollouttrigger-web";

    public static WebApplication Build(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = ServiceDefaultsExtensions.CreateBuilder(settings, ServiceName);
        builder.AddIngress();
        var app = builder.Build();
        app.MapIngress();
        return app;
    }

    public static WebApplicationBuilder AddIngress(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        builder.Services.AddIngressOptions(configuration);
        builder.AddIngressServer();
        builder.Services.AddIngressMetrics();
        builder.Services.AddAbuseLimits(configuration);
        builder.Services.AddGitHubOidcAuthentication(configuration);
        builder.Services.AddEventAdmission(configuration);
        builder.Services.AddValkeyPublishing(configuration, ServiceName);
        builder.Services.AddEventIntake();
        builder.Services.AddEventStatus(configuration);
        builder.Services.AddHostedService<IngressStartupSummary>();
        return builder;
    }

    public static WebApplication MapIngress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseClientAddress();
        app.UseRequestLog();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapEvents();
        return app;
    }
}
