using Kuberollouttrigger.Ingress.Abuse;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.Ingress.Status;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress;

/// <summary>
/// The web mode's effective configuration in one line at start, from the validated options and without secrets; then
/// a loud warning for each setting that weakens a default (DEV_MODE, ALLOW_NO_SUBSCRIBER).
/// </summary>
public sealed partial class IngressStartupSummary(
    IOptions<IngressOptions> ingress,
    IOptions<GitHubOidcOptions> oidc,
    IOptions<AbuseOptions> abuse,
    IOptions<EventWaitOptions> wait,
    IOptions<ValkeyOptions> valkey,
    IOptions<StreamDeliveryOptions> delivery,
    ILogger<IngressStartupSummary> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var (i, o, a, v) = (ingress.Value, oidc.Value, abuse.Value, valkey.Value);
        LogSummary(logger, i.ListenAddress, v.Topology, v.Channel, v.UseTls, !string.IsNullOrEmpty(v.Username), !string.IsNullOrEmpty(v.Password),
            delivery.Value.IsStream ? StreamDeliveryOptions.StreamMode : StreamDeliveryOptions.PubSubMode, o.Issuer, o.Audience, o.AllowedOrg, i.AllowedImagePrefix,
            o.DevMode, o.MaxTokenAge, a.AuthFailuresPerMinute, a.EventsPerMinutePerRepository, string.IsNullOrWhiteSpace(a.TrustedProxies) ? "none" : a.TrustedProxies,
            i.AllowNoSubscriber, wait.Value.NoMatchIsSuccess);
        if (o.DevMode)
            LogDevMode(logger);
        if (i.AllowNoSubscriber)
            LogAllowNoSubscriber(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "web mode: listen {ListenAddress}, valkey {ValkeyAddress} channel {Channel} tls {ValkeyTls} (username set: {HasUsername}, password set: {HasPassword}), delivery {DeliveryMode}, issuer {Issuer}, audience {Audience}, allowed org {AllowedOrg}, allowed image prefix {AllowedImagePrefix}, dev mode {DevMode}, max token age {MaxTokenAge}, auth failures per address and minute {AuthFailuresPerMinute}, events per repository and minute {EventsPerMinutePerRepository}, trusted proxies {TrustedProxies}, allow no subscriber {AllowNoSubscriber}, no match is success {NoMatchIsSuccess}")]
    private static partial void LogSummary(ILogger logger, string listenAddress, string valkeyAddress, string channel, bool valkeyTls, bool hasUsername, bool hasPassword,
        string deliveryMode, string issuer, string audience, string allowedOrg, string allowedImagePrefix, bool devMode, TimeSpan maxTokenAge, int authFailuresPerMinute,
        int eventsPerMinutePerRepository, string trustedProxies, bool allowNoSubscriber, bool noMatchIsSuccess);

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical,
        Message = "DEV_MODE IS ON: OIDC token signatures are NOT verified. Anyone who can reach this endpoint can restart Deployments. Never use DEV_MODE in production.")]
    private static partial void LogDevMode(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "ALLOW_NO_SUBSCRIBER is on: an event no worker received is answered 202 and lost")]
    private static partial void LogAllowNoSubscriber(ILogger logger);
}
