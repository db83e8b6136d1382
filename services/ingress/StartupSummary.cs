using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.Transport.Connection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress;

/// <summary>Logs the effective configuration once at start, without secrets, and warns loudly about DEV_MODE.</summary>
public sealed partial class StartupSummary(
    IOptions<IngressOptions> ingress,
    IOptions<GitHubOidcOptions> oidc,
    IOptions<ValkeyOptions> valkey,
    ILogger<StartupSummary> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var v = valkey.Value;
        LogSummary(logger, ingress.Value.ListenAddress, v.Address, v.Channel, v.UseTls, !string.IsNullOrEmpty(v.Username), !string.IsNullOrEmpty(v.Password),
            oidc.Value.Issuer, oidc.Value.Audience, oidc.Value.AllowedOrg, ingress.Value.AllowedImagePrefix, oidc.Value.DevMode);
        if (oidc.Value.DevMode)
            LogDevMode(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "web mode: listen {ListenAddress}, valkey {ValkeyAddress} channel {Channel} tls {ValkeyTls} (username set: {HasUsername}, password set: {HasPassword}), issuer {Issuer}, audience {Audience}, allowed org {AllowedOrg}, allowed image prefix {AllowedImagePrefix}, dev mode {DevMode}")]
    private static partial void LogSummary(ILogger logger, string listenAddress, string valkeyAddress, string channel, bool valkeyTls, bool hasUsername, bool hasPassword,
        string issuer, string audience, string allowedOrg, string allowedImagePrefix, bool devMode);

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical,
        Message = "DEV_MODE IS ON: OIDC token signatures are NOT verified. Anyone who can reach this endpoint can restart Deployments. Never use DEV_MODE in production.")]
    private static partial void LogDevMode(ILogger logger);
}
