using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Ingress.Abuse;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.Ingress.Events;
using Kuberollouttrigger.Ingress.Replay;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Publishing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress.Admission;

/// <summary>
/// What an authenticated, well-formed event passes before and after its PUBLISH: the authorization policy (403),
/// the token's single use (409, or the first attempt's id for a retry), the repository's event budget (429), and
/// after publishing, that a worker received it (503 otherwise, unless ALLOW_NO_SUBSCRIBER or the stream keeps it).
/// </summary>
public sealed partial class EventGate(
    RequestPolicy policy,
    TokenReplayStore replays,
    AbuseLimits limits,
    IValkeyMessagePublisher publisher,
    IOptions<IngressOptions> options,
    IngressMetrics metrics,
    ILogger<EventGate> logger)
{
    private const int NoSubscriberRetryAfterSeconds = 5;

    public async Task<EventAdmission> AdmitAsync(HttpContext context, GitHubTrigger trigger, string image, IReadOnlyList<string> tags, Guid newEventId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(trigger);
        var fingerprint = EventFingerprint.Of(image, tags);
        var decision = policy.Evaluate(PolicyRequests.From(trigger, image), options.Value.AllowedImagePrefix);
        if (!decision.IsAllowed)
            return Refuse(newEventId, fingerprint, StatusCodes.Status403Forbidden, "policy", decision.Reason);

        ReplayVerdict verdict;
        try
        {
            verdict = await replays.BeginAsync(context.User, newEventId, fingerprint, context.RequestAborted);
        }
        catch (ValkeyUnavailableException e)
        {
            metrics.PublishFailed();
            LogReplayCheckFailed(logger, e.Message);
            return new(newEventId, fingerprint, Results.Problem(statusCode: StatusCodes.Status502BadGateway, detail: "the token could not be checked in Valkey; retry later"));
        }
        switch (verdict.Kind)
        {
            case ReplayKind.OtherEvent:
                return Refuse(verdict.EventId, fingerprint, StatusCodes.Status409Conflict, "replay", "this token was already used for a different event");
            case ReplayKind.RetryDelivered:
                LogRetryAnswered(logger, verdict.EventId);
                return new(verdict.EventId, fingerprint, EventAccepted.Answer(verdict.EventId, image, tags));
        }
        if (!limits.TryAcceptEvent(trigger.Repository, out var retryAfter))
        {
            metrics.Rejected("rate_limit");
            LogRefused(logger, StatusCodes.Status429TooManyRequests, "too many events from this repository");
            return new(verdict.EventId, fingerprint, TooManyRequests.Result(context, retryAfter, "too many events from this repository"));
        }
        return new(verdict.EventId, fingerprint, null);
    }

    /// <summary>After the PUBLISH: null when the event counts as accepted, else the answer (503 when no worker received it).</summary>
    public async Task<IResult?> CompleteAsync(HttpContext context, EventAdmission admission, long receivers)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(admission);
        if (receivers == 0 && !publisher.KeepsUndelivered && !options.Value.AllowNoSubscriber)
        {
            // Not marked delivered: the client's retry with the same token publishes again under the same id.
            metrics.Rejected("no_subscriber");
            LogNoSubscriber(logger, admission.EventId);
            context.Response.Headers.RetryAfter = NoSubscriberRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, detail: "no worker is subscribed, so the event reached nobody; retry later");
        }
        try
        {
            await replays.MarkDeliveredAsync(context.User, admission.EventId, admission.Fingerprint, context.RequestAborted);
        }
        catch (ValkeyUnavailableException e)
        {
            // The event is out; a retry would publish it again under the same id, which the worker skips as a duplicate.
            LogMarkFailed(logger, admission.EventId, e.Message);
        }
        return null;
    }

    private EventAdmission Refuse(Guid eventId, string fingerprint, int status, string reason, string detail)
    {
        metrics.Rejected(reason);
        LogRefused(logger, status, detail);
        return new(eventId, fingerprint, Results.Problem(statusCode: status, detail: detail));
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Refused event with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int status, string reason);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "Could not check the token in Valkey: {Reason}")]
    private static partial void LogReplayCheckFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Event {EventId} was already delivered; answered the retry without publishing")]
    private static partial void LogRetryAnswered(ILogger logger, Guid eventId);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Event {EventId} reached no subscriber; answered 503 so the client retries")]
    private static partial void LogNoSubscriber(ILogger logger, Guid eventId);

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "Event {EventId} was published but could not be marked delivered: {Reason}")]
    private static partial void LogMarkFailed(ILogger logger, Guid eventId, string reason);
}
