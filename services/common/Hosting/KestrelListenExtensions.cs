using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Kuberollouttrigger.Common.Hosting;

public static class KestrelListenExtensions
{
    /// <summary>Listens only on <paramref name="address"/>; ASPNETCORE_URLS and friends are not consulted.</summary>
    public static WebApplicationBuilder ListenOn(this WebApplicationBuilder builder, ListenAddress address)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(address);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenOn(address));
        return builder;
    }

    /// <summary>Listens only on <paramref name="address"/>; for callers that read it from validated options when Kestrel is configured.</summary>
    public static void ListenOn(this KestrelServerOptions kestrel, ListenAddress address)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(address);
        if (address.Localhost)
            kestrel.ListenLocalhost(address.Port);
        else if (address.Address is null)
            kestrel.ListenAnyIP(address.Port);
        else
            kestrel.Listen(address.Address, address.Port);
    }

    /// <summary>The first address the started server listens on, with the real port when 0 was asked for.</summary>
    public static Uri BoundAddress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the server has not started");
        return new Uri(first.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }
}
