using Kuberollouttrigger.Common.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress.Abuse;

public static class AbuseExtensions
{
    /// <summary>The limits, and X-Forwarded-For believed only from TRUSTED_PROXIES (from nobody by default).</summary>
    public static IServiceCollection AddAbuseLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AbuseOptions, AbuseOptionsValidator>(configuration, AbuseOptions.Section);
        services.AddSingleton<AbuseLimits>();
        services.AddSingleton<VerificationGate>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<AbuseOptions>>((forwarded, abuse) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            // Walk X-Forwarded-For from the right through trusted proxies; the first other address is the client.
            forwarded.ForwardLimit = null;
            forwarded.RequireHeaderSymmetry = false;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            var (proxies, _) = TrustedProxies.Parse(abuse.Value.TrustedProxies);
            foreach (var address in proxies?.Addresses ?? [])
                forwarded.KnownProxies.Add(address);
            foreach (var network in proxies?.Networks ?? [])
                forwarded.KnownIPNetworks.Add(network);
        });
        return services;
    }

    /// <summary>The client address first, so the request log and the limits see it.</summary>
    /// <remarks>
    /// Only when proxies are configured: ForwardedHeadersMiddleware with empty KnownProxies and KnownIPNetworks
    /// believes X-Forwarded-For from anyone.
    /// </remarks>
    public static IApplicationBuilder UseClientAddress(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.RequestServices.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value is { KnownProxies.Count: > 0 } or { KnownIPNetworks.Count: > 0 },
            branch => branch.UseForwardedHeaders());
}
