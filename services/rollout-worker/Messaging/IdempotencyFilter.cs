using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.Transport.Connection;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>
/// Scoped consume filter, registered once for every consumer: the replica that claims the message id in Valkey acts on
/// it; every other delivery is acknowledged and skipped. It runs inside retry with a new scope per attempt, so it lets
/// a retry of its own claim through, and marks the event done only after the consumer succeeded. A redelivery
/// (MassTransit's <see cref="ReceiveContext.Redelivered"/>: a stream entry claimed from a silent worker, a coalescing
/// window restarted again) may take over the claim of the replica that went silent. When the last attempt fails, the
/// claim is released, so the next delivery or a replay of the dead letter is handled. Once the consumer succeeded, the
/// event is done whatever Valkey does: marking it so is retried (through a failover, say) for as long as the claim
/// holds, instead of failing the message and running the consumer again.
/// </summary>
public sealed partial class IdempotencyFilter<T>(
    EventClaims claims,
    RetryPolicy retry,
    IOptions<WorkerOptions> options,
    ConsumerMetrics metrics,
    TimeProvider time,
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
        if (claim is ClaimResult.HeldByOther && context.ReceiveContext.Redelivered && await claims.TakeOverAsync(messageId, settings.ClaimTtl))
            claim = ClaimResult.Claimed;
        if (claim is ClaimResult.AlreadyDone or ClaimResult.HeldByOther)
        {
            metrics.DuplicateSkipped();
            LogDuplicate(logger, messageId, claim);
            return;
        }

        try
        {
            await next.Send(context);
        }
        catch (Exception e) when (retry.IsLastAttempt(context, e))
        {
            await ReleaseAsync(messageId);
            throw;
        }

        var raw = context.ReceiveContext.ContentType?.MediaType == "application/json";
        await MarkDoneAsync(messageId, raw ? settings.RawDedupWindow : settings.DedupTtl, settings.ClaimTtl, context.CancellationToken);
    }

    public void Probe(ProbeContext context) => context?.CreateFilterScope("idempotency");

    /// <summary>Marks the handled event done, trying again while Valkey is away, up to the claim's lifetime.</summary>
    private async Task MarkDoneAsync(Guid messageId, TimeSpan remember, TimeSpan claimTtl, CancellationToken cancellationToken)
    {
        var retry = new ValkeyRetryDelay();
        var giveUp = time.GetUtcNow() + claimTtl;
        while (true)
        {
            try
            {
                await claims.MarkDoneAsync(messageId, remember);
                return;
            }
            catch (Exception e) when ((e is RedisException or TimeoutException) && time.GetUtcNow() < giveUp)
            {
                var delay = retry.Next();
                LogMarkDoneRetrying(logger, messageId, e.GetType().Name, delay.TotalSeconds);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    private async Task ReleaseAsync(Guid messageId)
    {
        try
        {
            await claims.ReleaseAsync(messageId);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The claim then expires after its TTL; the failure itself still goes on to the transport.
            LogReleaseFailed(logger, messageId, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Skipped event {EventId}: {Claim} (another delivery of the same event)")]
    private static partial void LogDuplicate(ILogger logger, Guid eventId, ClaimResult claim);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Handled event {EventId} but could not mark it done ({ErrorType}); trying again in {DelaySeconds:F1} s")]
    private static partial void LogMarkDoneRetrying(ILogger logger, Guid eventId, string errorType, double delaySeconds);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Could not release the claim of failed event {EventId} ({ErrorType}); it expires by itself")]
    private static partial void LogReleaseFailed(ILogger logger, Guid eventId, string errorType);
}
