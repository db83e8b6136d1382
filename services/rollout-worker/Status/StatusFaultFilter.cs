using Kuberollouttrigger.RolloutWorker.Rollout;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Status;

/// <summary>
/// Scoped consume filter: when the last attempt the retry policy allows fails too, the event's status record says
/// failed (with the error type) instead of staying at received or processing until it expires. The failure itself
/// goes on to MassTransit unchanged.
/// </summary>
public sealed class StatusFaultFilter<T>(EventStatusBook book, IOptions<RolloutOptions> options) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next.Send(context);
        }
        catch (Exception e) when (context.MessageId is { } id && context.GetRetryAttempt() >= options.Value.RetryLimit)
        {
            book.GaveUp(id, $"gave up after {context.GetRetryAttempt() + 1} attempts: {e.GetType().Name}: {e.Message}");
            throw;
        }
    }

    public void Probe(ProbeContext context) => context?.CreateFilterScope("event-status");
}
