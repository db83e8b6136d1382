using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.RolloutWorker.Delivery;
using Kuberollouttrigger.RolloutWorker.Rollout;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Idempotency;

/// <summary>
/// Scoped consume filter, registered once for every consumer: the replica that claims the message id in Valkey acts on
/// it; every other delivery is acknowledged and skipped. It runs inside retry with a new scope per attempt, so it lets
/// a retry of its own claim through, and marks the event done only after the consumer succeeded.
/// </summary>
public sealed partial class IdempotencyFilter<T>(
    EventClaims claims,
    IOptions<WorkerOptions> options,
    RolloutMetrics metrics,
    ILogger<IdempotencyFilter<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.MessageId is not { } messageId)
            throw new RejectedMessageException("the message has no id");

        var settings = options.Value;
        var claim = await claims.TryClaimAsync(messageId, settings.ClaimTtl);
        if (claim is ClaimResult.HeldByOther && StreamRedelivery.IsRedelivery(context.ReceiveContext) && await claims.TakeOverAsync(messageId, settings.ClaimTtl))
            claim = ClaimResult.Claimed;
        if (claim is ClaimResult.AlreadyDone or ClaimResult.HeldByOther)
        {
            metrics.DuplicateSkipped();
            LogDuplicate(logger, messageId, claim);
            return;
        }

        await next.Send(context);

        var raw = context.ReceiveContext.ContentType?.MediaType == "application/json";
        await claims.MarkDoneAsync(messageId, raw ? settings.RawDedupWindow : settings.DedupTtl);
    }

    public void Probe(ProbeContext context) => context?.CreateFilterScope("idempotency");

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Skipped message {MessageId}: {Claim} (another delivery of the same event)")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, ClaimResult claim);
}
