using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Decisions;
using Kuberollouttrigger.Ingress.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kuberollouttrigger.Ingress.Events;

/// <summary>
/// Counts every <c>POST /event</c> that passed authentication as received, and every refusal by its reason, with one
/// log line naming the repository and the image. Refusals before the endpoint (token, failure budget) are counted
/// and logged by the authentication.
/// </summary>
public sealed partial class EventMetricsFilter(IngressMetrics metrics, ILogger<EventMetricsFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        metrics.Received();
        var answer = await next(context);
        if (answer is DecisionResult { Decision: Refused refused } result)
        {
            metrics.Refused(refused.Cause);
            var http = context.HttpContext;
            LogRefused(logger, result.StatusCode, refused.Reason, TokenDiagnostics.Safe(http.User.FindFirst(GitHubClaimNames.Repository)?.Value),
                TokenDiagnostics.Safe(EventSubject.ImageOf(http)));
        }
        return answer;
    }

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Refused event with {Status}: {Reason} (repository {Repository}, image {Image})")]
    private static partial void LogRefused(ILogger logger, int status, string reason, string repository, string image);
}
