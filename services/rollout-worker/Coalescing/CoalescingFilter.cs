using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.RolloutWorker.Validation;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Coalescing;

/// <summary>
/// With COALESCE_WINDOW set, an event does not restart anything itself: it opens its image's window or joins the open
/// one, in Valkey, and is acknowledged ("coalesced into event X"). Nothing sleeps here, so the events behind it for the
/// same image (which the keyed dispatcher runs one after another) join the window at once instead of waiting it out.
/// <see cref="CoalescingFlusher"/> restarts the union of the tags once the window has closed. Runs inside the
/// idempotency filter, so only the replica that claimed an event records it. An event is checked with
/// <see cref="MessageRules"/> (image, tags and the policy on its claims) before it opens or joins a window: one that
/// breaks them goes on to the consumer, which refuses it (never retried) and restarts nothing, so a forged message
/// cannot add its tags to a window an allowed event opened. The flush's own message passes through.
/// </summary>
public sealed partial class CoalescingFilter<T>(
    CoalescingWindows windows,
    IOptions<CoalescingOptions> options,
    MessageRules rules,
    CoalescingMetrics metrics,
    ILogger<CoalescingFilter<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!options.Value.Enabled || context.Message is not ImageUpdated message || context.ReceiveContext.TransportHeaders.TryGetHeader(CoalescingHeaders.Window, out _)
            || rules.Check(message) is not { IsRefused: false } check)
        {
            await next.Send(context);
            return;
        }

        var eventId = message.EventId != Guid.Empty ? message.EventId : context.MessageId ?? Guid.NewGuid();
        var window = await windows.JoinAsync(message, eventId, check.Tags);
        if (window == eventId)
        {
            metrics.Opened();
            LogOpened(logger, eventId, message.Image, string.Join(',', check.Tags), options.Value.Window.TotalSeconds);
        }
        else
        {
            metrics.Coalesced();
            LogCoalesced(logger, eventId, message.Image, string.Join(',', check.Tags), window);
        }
    }

    public void Probe(ProbeContext context) => context?.CreateFilterScope("coalescing");

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Event {EventId}: image {Image} tags {Tags} opened a coalescing window; its workloads restart once when it closes in {WindowSeconds:F1} s")]
    private static partial void LogOpened(ILogger logger, Guid eventId, string image, string tags, double windowSeconds);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Event {EventId}: image {Image} tags {Tags} coalesced into event {WindowId}")]
    private static partial void LogCoalesced(ILogger logger, Guid eventId, string image, string tags, Guid windowId);
}
