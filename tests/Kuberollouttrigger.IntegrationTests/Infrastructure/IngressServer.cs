using Kuberollouttrigger.Common.Hosting;
using Kuberollouttrigger.Ingress;
using Kuberollouttrigger.Testing.Oidc;
using Microsoft.AspNetCore.Builder;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>The real web mode, built by the production composition and listening on a loopback port.</summary>
public sealed class IngressServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IngressServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        // Longer than the longest ?wait a test asks for (30 s): it bounds only a failure.
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static Dictionary<string, string?> Settings(string valkeyAddress, string channel, OidcIssuer issuer) => new()
    {
        ["Logging:Level"] = "warn",
        ["Valkey:Address"] = valkeyAddress,
        ["Valkey:Channel"] = channel,
        ["Ingress:AllowedImagePrefix"] = "ghcr.io/acme",
        ["Ingress:ListenAddress"] = "127.0.0.1:0",
        ["GitHubOidc:Issuer"] = issuer.Issuer,
        ["GitHubOidc:Audience"] = OidcIssuer.DefaultAudience,
        ["GitHubOidc:AllowedOrg"] = "acme",
        ["GitHubOidc:DevMode"] = "false",
        // The shared fixtures send many bad tokens and events from one address and repository; the limits have their own tests.
        ["Abuse:AuthFailuresPerMinute"] = "10000",
        ["Abuse:EventsPerMinutePerRepository"] = "100000",
    };

    public static async Task<IngressServer> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var app = IngressApplication.Build(settings);
        await app.StartAsync();
        return new IngressServer(app, app.BoundAddress());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
