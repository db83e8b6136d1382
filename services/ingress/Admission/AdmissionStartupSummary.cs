using Kuberollouttrigger.Ingress.Abuse;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress.Admission;

/// <summary>Logs the admission settings once at start, and warns when a lost event would still be answered 202.</summary>
public sealed partial class AdmissionStartupSummary(
    IOptions<IngressOptions> ingress,
    IOptions<GitHubOidcOptions> oidc,
    IOptions<AbuseOptions> abuse,
    ILogger<AdmissionStartupSummary> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var a = abuse.Value;
        LogSummary(logger, oidc.Value.MaxTokenAge, a.AuthFailuresPerMinute, a.EventsPerMinutePerRepository,
            string.IsNullOrWhiteSpace(a.TrustedProxies) ? "none" : a.TrustedProxies, ingress.Value.AllowNoSubscriber);
        if (ingress.Value.AllowNoSubscriber)
            LogAllowNoSubscriber(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "web mode admission: max token age {MaxTokenAge}, auth failures per address and minute {AuthFailuresPerMinute}, events per repository and minute {EventsPerMinutePerRepository}, trusted proxies {TrustedProxies}, allow no subscriber {AllowNoSubscriber}")]
    private static partial void LogSummary(ILogger logger, TimeSpan maxTokenAge, int authFailuresPerMinute, int eventsPerMinutePerRepository, string trustedProxies, bool allowNoSubscriber);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "ALLOW_NO_SUBSCRIBER is on: an event no worker received is answered 202 and lost")]
    private static partial void LogAllowNoSubscriber(ILogger logger);
}
