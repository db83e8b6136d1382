using Kuberollouttrigger.Common.Logging;
using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Common.Settings;
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
/// The web mode's effective configuration in one line at start, from the validated options: every setting it reads,
/// under its environment variable's name (a field per setting, e.g. <c>max_token_age</c>), durations in the docs'
/// units, secrets only as set or not; then a loud warning for each setting that weakens a default (DEV_MODE,
/// ALLOW_NO_SUBSCRIBER).
/// </summary>
public sealed partial class IngressStartupSummary(
    IOptions<LoggingOptions> logging,
    IOptions<IngressOptions> ingress,
    IOptions<GitHubOidcOptions> oidc,
    IOptions<AbuseOptions> abuse,
    IOptions<EventWaitOptions> wait,
    IOptions<ValkeyOptions> valkey,
    IOptions<StreamDeliveryOptions> delivery,
    IOptions<PolicyOptions> policy,
    ILogger<IngressStartupSummary> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var (i, o, a, v, d) = (ingress.Value, oidc.Value, abuse.Value, valkey.Value, delivery.Value);
        LogSummary(logger, logging.Value.Level, logging.Value.Format, v.Address, Shown(v.SentinelMaster), v.Cluster, v.Channel, Shown(v.Username), v.Password is { Length: > 0 } ? "set" : "not set", v.UseTls,
            i.AllowedImagePrefix, i.ListenAddress, o.Audience, o.AllowedOrg, o.Issuer, o.DevMode, Shown(policy.Value.File), Durations.Format(o.MaxTokenAge),
            i.AllowNoSubscriber, a.AuthFailuresPerMinute, a.EventsPerMinutePerRepository, Shown(a.TrustedProxies), wait.Value.NoMatchIsSuccess,
            d.IsStream ? StreamDeliveryOptions.StreamMode : StreamDeliveryOptions.PubSubMode, d.Group, d.MaxLength, wait.Value.MaxWaits, wait.Value.MaxWaitsPerRepository);
        if (o.DevMode)
            LogDevMode(logger);
        if (i.AllowNoSubscriber)
            LogAllowNoSubscriber(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Shown(string? value) => string.IsNullOrWhiteSpace(value) ? "(none)" : value;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "web mode: LOG_LEVEL={LogLevel} LOG_FORMAT={LogFormat} VALKEY_ADDR={ValkeyAddr} VALKEY_SENTINEL_MASTER={ValkeySentinelMaster} VALKEY_CLUSTER={ValkeyCluster} VALKEY_CHANNEL={ValkeyChannel} VALKEY_USERNAME={ValkeyUsername} " +
            "VALKEY_PASSWORD={ValkeyPassword} VALKEY_TLS_ENABLED={ValkeyTlsEnabled} ALLOWED_IMAGE_PREFIX={AllowedImagePrefix} WEB_LISTEN_ADDR={WebListenAddr} " +
            "GITHUB_OIDC_AUDIENCE={GithubOidcAudience} GITHUB_ALLOWED_ORG={GithubAllowedOrg} GITHUB_OIDC_ISSUER={GithubOidcIssuer} DEV_MODE={DevMode} " +
            "POLICY_FILE={PolicyFile} MAX_TOKEN_AGE={MaxTokenAge} ALLOW_NO_SUBSCRIBER={AllowNoSubscriber} AUTH_FAILURES_PER_MINUTE={AuthFailuresPerMinute} " +
            "EVENTS_PER_MINUTE_PER_REPOSITORY={EventsPerMinutePerRepository} TRUSTED_PROXIES={TrustedProxies} NO_MATCH_IS_SUCCESS={NoMatchIsSuccess} " +
            "DELIVERY_MODE={DeliveryMode} STREAM_GROUP={StreamGroup} STREAM_MAX_LEN={StreamMaxLen} MAX_WAITS={MaxWaits} MAX_WAITS_PER_REPOSITORY={MaxWaitsPerRepository}")]
    private static partial void LogSummary(ILogger logger, string logLevel, string logFormat, string valkeyAddr, string valkeySentinelMaster, bool valkeyCluster, string valkeyChannel, string valkeyUsername,
        string valkeyPassword, bool valkeyTlsEnabled, string allowedImagePrefix, string webListenAddr, string githubOidcAudience, string githubAllowedOrg,
        string githubOidcIssuer, bool devMode, string policyFile, string maxTokenAge, bool allowNoSubscriber, int authFailuresPerMinute,
        int eventsPerMinutePerRepository, string trustedProxies, bool noMatchIsSuccess, string deliveryMode, string streamGroup, long streamMaxLen,
        int maxWaits, int maxWaitsPerRepository);

    [LoggerMessage(EventId = 2, Level = LogLevel.Critical,
        Message = "DEV_MODE IS ON: OIDC token signatures are NOT verified. Anyone who can reach this endpoint can restart Deployments. Never use DEV_MODE in production.")]
    private static partial void LogDevMode(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "ALLOW_NO_SUBSCRIBER is on: an event no worker received is answered 202 and lost")]
    private static partial void LogAllowNoSubscriber(ILogger logger);
}
