using Kuberollouttrigger.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>
/// Scoped consume filter, the outermost: every line logged while an event is handled (the idempotency claim, the
/// restarts, the API's 429s, the Kubernetes Event recorder) carries the event's id as <c>event_id</c>, the id the
/// web mode answered with, so one grep finds all of them.
/// </summary>
public sealed class EventLogScopeFilter<T>(ILogger<EventLogScopeFilter<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var eventId = context.Message is ImageUpdated { EventId: var id } && id != Guid.Empty ? id : context.MessageId;
        using var scope = eventId is { } known ? logger.BeginScope(new Dictionary<string, object> { ["event_id"] = known.ToString() }) : null;
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context?.CreateFilterScope("event-log-scope");
}
