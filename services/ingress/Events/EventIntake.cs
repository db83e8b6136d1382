using System.Diagnostics;
using Kuberollouttrigger.Common.Images;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Ingress.Admission;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.Ingress.Decisions;
using Kuberollouttrigger.Ingress.Telemetry;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Publishing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Kuberollouttrigger.Ingress.Events;

/// <summary>
/// Turns an authenticated <c>POST /event</c> into a decision, in the order docs/http-api.md lists: content type, size,
/// strict payload, image rules, <see cref="EventAdmission"/> (policy, replay, budget), the publish of an
/// <see cref="ImageUpdated"/>, and admission's confirmation that someone has it.
/// </summary>
public sealed partial class EventIntake(
    IOptions<IngressOptions> options,
    EventAdmission admission,
    IValkeyMessagePublisher publisher,
    IngressMetrics metrics,
    TimeProvider time,
    ILogger<EventIntake> logger)
{
    private readonly ImageUpdateRules _rules = new(options.Value.AllowedImagePrefix);

    public async Task<IntakeDecision> AcceptAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!IsJson(request.ContentType))
            return new Refused(RefusalCause.ContentType, "Content-Type must be application/json");
        if (await ReadBodyAsync(request, context.RequestAborted) is not { } body)
            return new Refused(RefusalCause.TooLarge, $"body must be at most {IngressOptions.MaxBodyBytes} bytes");

        var read = EventPayloadReader.Read(body);
        if (read.Payload is not { } payload)
            return new Refused(RefusalCause.Payload, read.Error!);
        EventSubject.SetImage(context, payload.Image);
        if (_rules.CheckImage(payload.Image) is { } imageError)
            return new Refused(imageError.Contains("prefix", StringComparison.Ordinal) ? RefusalCause.Prefix : RefusalCause.Payload, imageError);
        var tags = ImageUpdateRules.CheckTags(payload.Tags);
        if (tags.Error is not null)
            return new Refused(RefusalCause.Payload, tags.Error);

        var trigger = TriggerClaims.From(context.User);
        var now = time.GetUtcNow();
        var verdict = await admission.AdmitAsync(context.User, trigger, payload.Image, tags.UniqueTags, Guid.CreateVersion7(now), context.RequestAborted);
        if (verdict.DecidedWithoutPublishing is { } decided)
            return decided;

        var message = new ImageUpdated(verdict.EventId, payload.Image, tags.UniqueTags, trigger, now);
        if (await PublishAsync(message, trigger, context.RequestAborted) is not { } outcome)
            return new Refused(RefusalCause.ValkeyUnavailable, "the event could not be handed to Valkey; retry later");
        return await admission.ConfirmAsync(context.User, verdict, new Accepted(message.EventId, message.Image, message.Tags), outcome, context.RequestAborted);
    }

    /// <summary>The outcome, or null when Valkey could not take the event.</summary>
    private async Task<PublishOutcome?> PublishAsync(ImageUpdated message, GitHubTrigger trigger, CancellationToken cancellationToken)
    {
        // Lets an operator find the trace of an event by its id, repository or commit.
        Activity.Current?.SetTag("kuberollouttrigger.event_id", message.EventId.ToString());
        Activity.Current?.SetTag("kuberollouttrigger.repository", trigger.Repository);
        Activity.Current?.SetTag("vcs.ref.head.revision", trigger.Sha);
        try
        {
            var outcome = await publisher.PublishAsync(message, message.EventId, cancellationToken);
            metrics.Published(outcome);
            LogPublished(logger, message.EventId, message.Image, string.Join(',', message.Tags), trigger.Repository, outcome.Kind, outcome.Listeners);
            return outcome;
        }
        catch (ValkeyUnavailableException e)
        {
            LogPublishFailed(logger, message.EventId, e.Message);
            return null;
        }
    }

    /// <summary>The body, or null when it is over <see cref="IngressOptions.MaxBodyBytes"/> (with or without Content-Length).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await RequestBody.ReadAsync(request, IngressOptions.MaxBodyBytes, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(EventId = 20, Level = LogLevel.Information,
        Message = "Published event {EventId}: image {Image} tags {Tags} from {Repository}: {Outcome}, {Listeners} subscriber(s) listening")]
    private static partial void LogPublished(ILogger logger, Guid eventId, string image, string tags, string repository, PublishOutcomeKind outcome, long listeners);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Could not publish event {EventId}: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, Guid eventId, string reason);
}
