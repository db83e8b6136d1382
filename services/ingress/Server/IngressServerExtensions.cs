using Kuberollouttrigger.Common.Hosting;
using Kuberollouttrigger.Ingress.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Kuberollouttrigger.Ingress.Server;

public static class IngressServerExtensions
{
    /// <summary>
    /// The HTTP server the internet may reach: only WEB_LISTEN_ADDR, no Server header, bounded bodies, headers and
    /// idle connections, and problem+json errors with a <c>detail</c> (routing's 404 and 405 included).
    /// </summary>
    public static WebApplicationBuilder AddIngressServer(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ListenOn<IngressOptions>(o => o.ListenAddress);
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = IngressOptions.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsDefaults.Complete);
        // Nothing here protects data at rest; keep keys in memory so a read-only root filesystem works.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        return builder;
    }
}
