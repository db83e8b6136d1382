using System.Security.Claims;
using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Ingress.Abuse;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.Ingress.Decisions;
using Kuberollouttrigger.Ingress.Replay;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress.Admission;

/// <summary>
/// What an authenticated, well-formed event passes before and after its publish, as decisions: the authorization
/// policy, the token's single use (or the first attempt's id for a retry), the repository's event budget, and after
/// publishing, that someone has it (unless ALLOW_NO_SUBSCRIBER), which marks the token's event delivered.
/// </summary>
public sealed partial class EventAdmission(
    RequestPolicy policy,
    TokenReplayStore replays,
    AbuseLimits limits,
    IOptions<IngressOptions> options,
    ILogger<EventAdmission> logger)
{
    private static readonly TimeSpan NoSubscriberRetryAfter = TimeSpan.FromSeconds(5);

    public async Task<AdmissionVerdict> AdmitAsync(ClaimsPrincipal user, GitHubTrigger trigger, string image, IReadOnlyList<string> tags, Guid newEventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var fingerprint = EventFingerprint.Of(image, tags);
        var decision = policy.Evaluate(PolicyRequests.From(trigger, image), options.Value.AllowedImagePrefix);
        if (!decision.IsAllowed)
            return new(newEventId, fingerprint, new Refused(RefusalCause.Policy, decision.Reason));

        ReplayVerdict verdict;
        try
        {
            verdict = await replays.BeginAsync(user, newEventId, fingerprint, cancellationToken);
        }
        catch (ValkeyUnavailableException e)
        {
            LogReplayCheckFailed(logger, e.Message);
            return new(newEventId, fingerprint, new Refused(RefusalCause.ValkeyUnavailable, "the token could not be checked in Valkey; retry later"));
        }
        switch (verdict.Kind)
        {
            case ReplayKind.OtherEvent:
                return new(verdict.EventId, fingerprint, new Refused(RefusalCause.Replay, "this token was already used for a different event"));
            case ReplayKind.RetryDelivered:
                LogRetryAnswered(logger, verdict.EventId);
                return new(verdict.EventId, fingerprint, new Accepted(verdict.EventId, image, tags));
        }
        if (!limits.TryAcceptEvent(trigger.Repository, out var retryAfter))
            return new(verdict.EventId, fingerprint, Refused.RetryLater(RefusalCause.RepositoryOverBudget, "too many events from this repository", retryAfter));
        return new(verdict.EventId, fingerprint, null);
    }

    /// <summary>After the publish: <paramref name="accepted"/>, or a 503 refusal when nobody has the event (then the token's retry publishes it again).</summary>
    public async Task<IntakeDecision> ConfirmAsync(ClaimsPrincipal user, AdmissionVerdict verdict, Accepted accepted, PublishOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.IsLost && !options.Value.AllowNoSubscriber)
        {
            // Not marked delivered: the client's retry with the same token publishes again under the same id.
            LogNoSubscriber(logger, verdict.EventId);
            return new Refused(RefusalCause.NobodyListening, "no worker is subscribed, so the event reached nobody; retry later", NoSubscriberRetryAfter);
        }
        try
        {
            await replays.MarkDeliveredAsync(user, verdict.EventId, verdict.Fingerprint, cancellationToken);
        }
        catch (ValkeyUnavailableException e)
        {
            // The event is out; a retry would publish it again under the same id, which the worker skips as a duplicate.
            LogMarkFailed(logger, verdict.EventId, e.Message);
        }
        return accepted;
    }

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "Could not check the token in Valkey: {Reason}")]
    private static partial void LogReplayCheckFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Event {EventId} was already delivered; answered the retry without publishing")]
    private static partial void LogRetryAnswered(ILogger logger, Guid eventId);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Event {EventId} reached no subscriber; answered 503 so the client retries")]
    private static partial void LogNoSubscriber(ILogger logger, Guid eventId);

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "Event {EventId} was published but could not be marked delivered: {Reason}")]
    private static partial void LogMarkFailed(ILogger logger, Guid eventId, string reason);
}
