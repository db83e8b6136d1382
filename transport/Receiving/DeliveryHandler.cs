using Kuberollouttrigger.Transport.Streams;
using MassTransit.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>
/// The one receive path of both modes: read the delivery (<see cref="IncomingMessageReader"/>), queue it behind the
/// earlier messages of its ordering key, dispatch it to MassTransit's receive endpoint with its delivery count, then
/// settle it. Handled: acknowledged. Unreadable, refused, or delivered too often: dead-lettered and acknowledged. Failed
/// after its retries: left pending where the source redelivers (a stream), dead-lettered where it does not (PubSub).
/// </summary>
public sealed partial class DeliveryHandler(
    IReceiveEndpointDispatcher dispatcher,
    ReceiveEndpointDefinition endpoint,
    DeadLetters deadLetters,
    ReceiveMetrics metrics,
    IOptions<StreamDeliveryOptions> options,
    ILogger<DeliveryHandler> logger)
{
    private enum Settlement
    {
        Acknowledge,
        DeadLetter,
        LeavePending,
    }

    /// <summary>Queues <paramref name="delivery"/>; waits while the queue is full. What cannot be dispatched is settled at once.</summary>
    public async Task AcceptAsync(Delivery delivery, IDeliverySource source, KeyedDispatcher queue, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(queue);
        metrics.Received();
        if (source.Redelivers && delivery.Count > options.Value.MaxDeliveries)
        {
            await SettleAsync(delivery, null, source, Settlement.DeadLetter, "deliveries", $"failed {delivery.Count - 1} deliveries");
            return;
        }
        string? error = "no body";
        if (delivery.Body is null || IncomingMessageReader.Read(delivery.Body, endpoint.OrderingKey, delivery.Count, out error) is not { } message)
        {
            metrics.Unreadable();
            await SettleAsync(delivery, null, source, Settlement.DeadLetter, "unreadable", "unreadable: " + error);
            return;
        }
        await queue.EnqueueAsync(message.OrderingKey, () => DispatchAsync(delivery, message, source, stoppingToken), stoppingToken);
    }

    private async Task DispatchAsync(Delivery delivery, IncomingMessage message, IDeliverySource source, CancellationToken stoppingToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { [endpoint.MessageIdLogField] = message.MessageId.ToString() });
        (Settlement Settlement, string Kind, string Reason) verdict;
        try
        {
            await dispatcher.Dispatch(message.Body, message.Headers, stoppingToken);
            metrics.Dispatched();
            verdict = (Settlement.Acknowledge, "", "");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogAbandoned(logger, message.MessageId, delivery.SourceId);
            source.Release(delivery);
            return;
        }
#pragma warning disable CA1031 // The adapter must outlive any one message: it is dead-lettered or left pending, and the next one is processed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            metrics.Failed();
            verdict = Judge(e, delivery, message, source);
        }
        await SettleAsync(delivery, message, source, verdict.Settlement, verdict.Kind, verdict.Reason);
    }

    /// <summary>A refusal is dead-lettered at once; another failure waits for the next delivery where one comes, else it is dead-lettered too.</summary>
    private (Settlement, string, string) Judge(Exception e, Delivery delivery, IncomingMessage message, IDeliverySource source)
    {
        if (MessageRefusal.IsRefusal(e, endpoint.IsRefusal))
            return (Settlement.DeadLetter, "refused", "refused: " + e.Message);
        if (!source.Redelivers)
            return (Settlement.DeadLetter, "failed", $"failed after its retries: {e.GetType().Name}: {e.Message}");
        LogLeftPending(logger, message.MessageId, delivery.SourceId, delivery.Count, options.Value.MaxDeliveries, e.GetType().Name, e.Message);
        return (Settlement.LeavePending, "", "");
    }

    private async Task SettleAsync(Delivery delivery, IncomingMessage? message, IDeliverySource source, Settlement settlement, string kind = "", string reason = "")
    {
        try
        {
            if (settlement == Settlement.DeadLetter)
            {
                await deadLetters.AddAsync(delivery, message?.ContentType, kind, reason);
                // Refused or unreadable: the sender's mistake, kept for inspection. Failed after every retry: ours to fix.
                LogDeadLettered(logger, kind is "failed" or "deliveries" ? LogLevel.Error : LogLevel.Warning, message?.MessageId, delivery.SourceId, delivery.Count, reason);
            }
            if (settlement != Settlement.LeavePending)
                await source.AcknowledgeAsync(delivery);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Not acknowledged: a stream entry stays pending and comes back after its idle time; a PubSub message is lost.
            LogDeadLetterFailed(logger, message?.MessageId, delivery.SourceId, reason, e.GetType().Name);
        }
        finally
        {
            source.Release(delivery);
        }
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Error,
        Message = "Message {MessageId} (stream entry {EntryId}) failed delivery {Deliveries} of {MaxDeliveries} after its retries: {ErrorType}: {Error}; it stays pending and is delivered again")]
    private static partial void LogLeftPending(ILogger logger, Guid messageId, string entryId, long deliveries, int maxDeliveries, string errorType, string error);

    [LoggerMessage(EventId = 131, Message = "Moved message {MessageId} from {Source} to the dead-letter stream after {Deliveries} delivery(ies): {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, LogLevel level, Guid? messageId, string source, long deliveries, string reason);

    [LoggerMessage(EventId = 132, Level = LogLevel.Error, Message = "Could not dead-letter message {MessageId} from {Source} ({Reason}): {ErrorType}; a stream entry stays pending, a PubSub message is lost")]
    private static partial void LogDeadLetterFailed(ILogger logger, Guid? messageId, string source, string reason, string errorType);

    [LoggerMessage(EventId = 133, Level = LogLevel.Warning, Message = "Message {MessageId} from {Source} was abandoned at shutdown; a stream entry stays pending for another worker")]
    private static partial void LogAbandoned(ILogger logger, Guid messageId, string source);
}
