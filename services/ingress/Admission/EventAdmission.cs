using System.Security.Claims;
using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Ingress.Abuse;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.Ingress.Decisions;
using Kuberollouttrigger.Ingress.Replay;
using Kuberollouttrigger.Ingress.Telemetry;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress.Admission;

/// <summary>
/// What an authenticated, well-formed event passes, as decisions: the authorization policy, a unit of the repository's
/// event budget, then one Valkey script that checks the token's record, publishes the <see cref="ImageUpdated"/> and
/// marks it delivered (see <see cref="IValkeyMessagePublisher"/>). A retry gets the first attempt's id; a token used for
/// another event is refused; nobody listening is a 503 unless ALLOW_NO_SUBSCRIBER. The budget unit is given back
/// whenever the attempt published nothing, and without one, the record is only read: a retry of a delivered event is
/// still answered.
/// </summary>
public sealed partial class EventAdmission(
    RequestPolicy policy,
    TokenRecords tokens,
    IValkeyMessagePublisher publisher,
    AbuseLimits limits,
    IngressMetrics metrics,
    IOptions<IngressOptions> options,
    ILogger<EventAdmission> logger)
{
    private static readonly TimeSpan NoSubscriberRetryAfter = TimeSpan.FromSeconds(5);

    public async Task<IntakeDecision> AdmitAsync(ClaimsPrincipal user, GitHubTrigger trigger, string image, IReadOnlyList<string> tags, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var decision = policy.Evaluate(PolicyRequest.For(trigger, image), options.Value.AllowedImagePrefix);
        if (!decision.IsAllowed)
            return new Refused(RefusalCause.Policy, decision.Reason);

        var record = tokens.For(user, EventFingerprint.Of(image, tags), options.Value.AllowNoSubscriber);
        if (!limits.TryReserveEvent(trigger.Repository, out var reservation, out var retryAfter))
            return await WithoutBudgetAsync(record, image, tags, retryAfter, cancellationToken);
        var attempt = await PublishAsync(new EventDraft(trigger, image, tags, now), record, cancellationToken);
        if (!attempt.WentOut)
            limits.ReleaseEvent(reservation);
        return attempt.Decision;
    }

    /// <summary>The publish under a new id, or, when an earlier attempt was not delivered, again under its id.</summary>
    private async Task<Attempt> PublishAsync(EventDraft draft, OnceRecord record, CancellationToken cancellationToken)
    {
        var eventId = Guid.CreateVersion7(draft.Now);
        try
        {
            var result = await publisher.PublishOnceAsync(draft.Message(eventId), eventId, record, cancellationToken);
            if (result.Kind == PublishOnceKind.Pending)
            {
                eventId = result.MessageId;
                result = await publisher.PublishOnceAsync(draft.Message(eventId), eventId, record, cancellationToken);
            }
            return result switch
            {
                { Kind: PublishOnceKind.Published, Outcome: { } outcome } => Published(draft, eventId, outcome),
                { Kind: PublishOnceKind.AlreadyDelivered } => new(RetryAnswered(result.MessageId, draft.Image, draft.Tags), false),
                { Kind: PublishOnceKind.Conflict } => new(UsedForAnotherEvent, false),
                // The record changed under a concurrent attempt between the two scripts (it expired and was made anew).
                _ => new(NotHandedToValkey, false),
            };
        }
        catch (ValkeyUnavailableException e)
        {
            LogPublishFailed(logger, eventId, e.Message);
            return new(NotHandedToValkey, false);
        }
    }

    private Attempt Published(EventDraft draft, Guid eventId, PublishOutcome outcome)
    {
        metrics.Published(outcome);
        if (logger.IsEnabled(LogLevel.Information))
            LogPublished(logger, eventId, draft.Image, string.Join(',', draft.Tags), draft.Trigger.Repository, outcome.Kind, outcome.Listeners);
        if (outcome.IsLost && !options.Value.AllowNoSubscriber)
        {
            // Not marked delivered: the client's retry with the same token publishes again under the same id.
            LogNoSubscriber(logger, eventId);
            return new(new Refused(RefusalCause.NobodyListening, "no worker is subscribed, so the event reached nobody; retry later", NoSubscriberRetryAfter), false);
        }
        return new(new Accepted(eventId, draft.Image, draft.Tags), true);
    }

    /// <summary>The repository's budget is spent: the token's record may still answer (a delivered retry, a reuse); else 429.</summary>
    private async Task<IntakeDecision> WithoutBudgetAsync(OnceRecord record, string image, IReadOnlyList<string> tags, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        PublishOnceResult earlier;
        try
        {
            earlier = await publisher.CheckAsync(record, cancellationToken);
        }
        catch (ValkeyUnavailableException e)
        {
            LogCheckFailed(logger, e.Message);
            return new Refused(RefusalCause.ValkeyUnavailable, "the token could not be checked in Valkey; retry later");
        }
        return earlier.Kind switch
        {
            PublishOnceKind.AlreadyDelivered => RetryAnswered(earlier.MessageId, image, tags),
            PublishOnceKind.Conflict => UsedForAnotherEvent,
            _ => Refused.RetryLater(RefusalCause.RepositoryOverBudget, "too many events from this repository", retryAfter),
        };
    }

    private static Refused NotHandedToValkey => new(RefusalCause.ValkeyUnavailable, "the event could not be handed to Valkey; retry later");

    private static Refused UsedForAnotherEvent => new(RefusalCause.Replay, "this token was already used for a different event");

    private Accepted RetryAnswered(Guid eventId, string image, IReadOnlyList<string> tags)
    {
        LogRetryAnswered(logger, eventId);
        return new Accepted(eventId, image, tags);
    }

    /// <summary>What the message is made of; its id is known only once the token's record is read.</summary>
    private sealed record EventDraft(GitHubTrigger Trigger, string Image, IReadOnlyList<string> Tags, DateTimeOffset Now)
    {
        public ImageUpdated Message(Guid eventId) => new(eventId, Image, Tags, Trigger, Now);
    }

    /// <summary>The decision, and whether an event went out (which keeps the budget unit spent).</summary>
    private readonly record struct Attempt(IntakeDecision Decision, bool WentOut);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information,
        Message = "Published event {EventId}: image {Image} tags {Tags} from {Repository}: {Outcome}, {Listeners} subscriber(s) listening")]
    private static partial void LogPublished(ILogger logger, Guid eventId, string image, string tags, string repository, PublishOutcomeKind outcome, long listeners);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Could not publish event {EventId}: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, Guid eventId, string reason);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "Could not check the token in Valkey: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Event {EventId} was already delivered; answered the retry without publishing")]
    private static partial void LogRetryAnswered(ILogger logger, Guid eventId);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Event {EventId} reached no subscriber; answered 503 so the client retries")]
    private static partial void LogNoSubscriber(ILogger logger, Guid eventId);
}
