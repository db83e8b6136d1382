using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Common.Hosting;

public static class KestrelListenExtensions
{
    /// <summary>
    /// Listens only on the address the validated <typeparamref name="TOptions"/> name (their validator refuses one
    /// <see cref="ListenAddress.Parse"/> cannot read); ASPNETCORE_URLS and friends are not consulted.
    /// </summary>
    public static WebApplicationBuilder ListenOn<TOptions>(this WebApplicationBuilder builder, Func<TOptions, string> address)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(address);
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<TOptions>>((kestrel, options) =>
            kestrel.ListenAt(ListenAddress.Parse(address(options.Value))
                ?? throw new InvalidOperationException($"{typeof(TOptions).Name} names no usable listen address")));
        return builder;
    }

    /// <summary>The first address the started server listens on, with the real port when 0 was asked for.</summary>
    public static Uri BoundAddress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the server has not started");
        return new Uri(first.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    private static void ListenAt(this KestrelServerOptions kestrel, ListenAddress address)
    {
        if (address.Localhost)
            kestrel.ListenLocalhost(address.Port);
        else if (address.Address is null)
            kestrel.ListenAnyIP(address.Port);
        else
            kestrel.Listen(address.Address, address.Port);
    }
}
