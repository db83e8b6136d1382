using Kuberollouttrigger.Common.Hosting;
using Kuberollouttrigger.Ingress.Abuse;
using Kuberollouttrigger.Ingress.Admission;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.Ingress.Events;
using Kuberollouttrigger.Ingress.Status;
using Kuberollouttrigger.Transport;
using Kuberollouttrigger.Transport.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress;

/// <summary>The <c>web</c> mode: GitHub OIDC-authenticated event intake publishing to Valkey.</summary>
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
        builder.Services.AddOptions<IngressOptions>()
            .Bind(builder.Configuration.GetSection(IngressOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<IngressOptions>, IngressOptionsValidator>();
        builder.Services.AddProblemDetails();
        // Nothing here protects data at rest; keep keys in memory so a read-only root filesystem works.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddGitHubOidcAuthentication(builder.Configuration);
        builder.Services.AddValkeyDeliveryPublisher(builder.Configuration, ServiceName);
        builder.Services.AddEventAdmission(builder.Configuration);
        builder.Services.AddSingleton<EventIntake>();
        builder.Services.AddEventStatus(builder.Configuration);
        builder.Services.AddSingleton<IngressMetrics>();
        builder.Services.AddHostedService<StartupSummary>();

        var listen = ListenAddress.Parse(builder.Configuration[IngressSettings.ListenAddr.ConfigKey]) ?? ListenAddress.Parse(":8080")!;
        builder.ListenOn(listen);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = IngressOptions.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
        });
        return builder;
    }

    public static WebApplication MapIngress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseClientAddress();
        app.UseRequestLog();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthFailureLimit();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapEvents();
        app.MapEventStatus();
        return app;
    }
}
