using Kuberollouttrigger.RolloutWorker.Rollouts;
using MassTransit;

namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>
/// Scoped consume filter: when the last attempt of a delivery fails too (the retries are spent, or the failure is not
/// one retrying can fix), the event's status record says failed (with the error type) instead of staying at received
/// or processing until it expires. The failure itself goes on to MassTransit unchanged.
/// </summary>
public sealed class StatusFaultFilter<T>(EventStatusBook book, RetryPolicy retry) : IFilter<ConsumeContext<T>>
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
        catch (Exception e) when (context.MessageId is { } id && retry.IsLastAttempt(context, e))
        {
            book.GaveUp(id, $"gave up after {context.GetRetryAttempt() + 1} attempts: {e.GetType().Name}: {e.Message}");
            throw;
        }
    }

    public void Probe(ProbeContext context) => context?.CreateFilterScope("event-status");
}
