using System.Diagnostics;
using Kuberollouttrigger.Common.Images;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Ingress.Admission;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.Ingress.Decisions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Kuberollouttrigger.Ingress.Events;

/// <summary>
/// Turns an authenticated <c>POST /event</c> into a decision, in the order docs/http-api.md lists: content type, size,
/// strict payload, image rules, then <see cref="EventAdmission"/>: policy, budget, and the one Valkey script that checks
/// the token's record, publishes the <see cref="ImageUpdated"/> and marks it delivered.
/// </summary>
public sealed class EventIntake(IOptions<IngressOptions> options, EventAdmission admission, TimeProvider time)
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
        // Lets an operator find the trace of an event by its id, repository or commit.
        Activity.Current?.SetTag("kuberollouttrigger.repository", trigger.Repository);
        Activity.Current?.SetTag("vcs.ref.head.revision", trigger.Sha);
        var decision = await admission.AdmitAsync(context.User, trigger, payload.Image, tags.UniqueTags, time.GetUtcNow(), context.RequestAborted);
        if (decision is Accepted accepted)
            Activity.Current?.SetTag("kuberollouttrigger.event_id", accepted.EventId.ToString());
        return decision;
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
}
