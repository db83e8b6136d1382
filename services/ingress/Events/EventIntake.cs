using System.Diagnostics;
using Kuberollouttrigger.Common.Images;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Ingress.Admission;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Publishing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Kuberollouttrigger.Ingress.Events;

/// <summary>
/// Turns an authenticated <c>POST /event</c> into a published <see cref="ImageUpdated"/>:
/// content type, size, strict payload, image rules, the <see cref="EventGate"/> (policy, replay, limits), then PUBLISH
/// on Valkey.
/// </summary>
public sealed partial class EventIntake(
    IOptions<IngressOptions> options,
    IValkeyMessagePublisher publisher,
    EventGate gate,
    IngressMetrics metrics,
    TimeProvider time,
    ILogger<EventIntake> logger)
{
    private readonly ImageUpdateRules _rules = new(options.Value.AllowedImagePrefix);

    public async Task<IResult> AcceptAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        metrics.Received();
        if (!IsJson(request.ContentType))
            return Refuse(StatusCodes.Status415UnsupportedMediaType, "content_type", "Content-Type must be application/json");

        byte[]? body;
        try
        {
            body = await RequestBody.ReadAsync(request, IngressOptions.MaxBodyBytes, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }
        if (body is null)
            return Refuse(StatusCodes.Status413PayloadTooLarge, "size", $"body must be at most {IngressOptions.MaxBodyBytes} bytes");

        var read = EventPayloadReader.Read(body);
        if (read.Payload is not { } payload)
            return Refuse(StatusCodes.Status400BadRequest, "payload", read.Error!);
        if (_rules.CheckImage(payload.Image) is { } imageError)
            return Refuse(StatusCodes.Status400BadRequest, imageError.Contains("prefix", StringComparison.Ordinal) ? "prefix" : "payload", imageError);
        var tags = ImageUpdateRules.CheckTags(payload.Tags);
        if (tags.Error is not null)
            return Refuse(StatusCodes.Status400BadRequest, "payload", tags.Error);

        var trigger = TriggerClaims.From(context.User);
        var now = time.GetUtcNow();
        var admission = await gate.AdmitAsync(context, trigger, payload.Image, tags.UniqueTags, Guid.CreateVersion7(now));
        if (admission.AnswerWithoutPublishing is { } answer)
            return answer;
        var message = new ImageUpdated(admission.EventId, payload.Image, tags.UniqueTags, trigger, now);
        // Lets an operator find the trace of an event by its id, repository or commit.
        Activity.Current?.SetTag("kuberollouttrigger.event_id", message.EventId.ToString());
        Activity.Current?.SetTag("kuberollouttrigger.repository", trigger.Repository);
        Activity.Current?.SetTag("vcs.ref.head.revision", trigger.Sha);
        long receivers;
        try
        {
            receivers = await publisher.PublishAsync(message, message.EventId, context.RequestAborted);
            metrics.Published(receivers);
            LogPublished(logger, message.EventId, message.Image, string.Join(',', message.Tags), trigger.Repository, receivers);
        }
        catch (ValkeyUnavailableException e)
        {
            metrics.PublishFailed();
            LogPublishFailed(logger, message.EventId, e.Message);
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, detail: "the event could not be handed to Valkey; retry later");
        }
        if (await gate.CompleteAsync(context, admission, receivers) is { } unheard)
            return unheard;
        return EventAccepted.Answer(message.EventId, message.Image, message.Tags);
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    private IResult Refuse(int status, string reason, string detail)
    {
        metrics.Rejected(reason);
        LogRefused(logger, status, detail);
        return Results.Problem(statusCode: status, detail: detail);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information,
        Message = "Published event {EventId}: image {Image} tags {Tags} from {Repository} to {Receivers} subscriber(s)")]
    private static partial void LogPublished(ILogger logger, Guid eventId, string image, string tags, string repository, long receivers);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Could not publish event {EventId}: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, Guid eventId, string reason);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Refused event with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int status, string reason);
}
