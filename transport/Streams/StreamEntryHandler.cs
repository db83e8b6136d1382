using Kuberollouttrigger.Transport.Receiving;
using MassTransit.Transports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Streams;

/// <summary>
/// One stream entry through the same path as a PubSub message (<see cref="IncomingMessageReader"/>, the keyed
/// dispatcher, MassTransit's receive endpoint dispatcher), then XACK only when the consumer pipeline, retries included,
/// succeeded or refused the message. A refused or unreadable entry, or one delivered too often, is copied to the
/// dead-letter stream first. A failed entry stays pending; it is delivered again once its idle time passes.
/// </summary>
public sealed partial class StreamEntryHandler(
    IReceiveEndpointDispatcher dispatcher,
    ReceiveCounters counters,
    StreamCounters streamCounters,
    InFlightEntries inFlight,
    MessageRefusal refusal,
    StreamNames names,
    IOptions<StreamDeliveryOptions> options,
    ILogger<StreamEntryHandler> logger)
{
    public const string DeliveriesHeader = "Kuberollouttrigger-Stream-Deliveries";

    private readonly StreamDeliveryOptions _options = options.Value;

    /// <summary>Queues <paramref name="entry"/>, delivered <paramref name="deliveries"/> times so far, this one included.</summary>
    public async Task AcceptAsync(IDatabaseAsync db, StreamEntry entry, long deliveries, KeyedDispatcher queue, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (inFlight.Contains(entry.Id))
            return;
        counters.Received();
        var body = (byte[]?)entry[StreamNames.BodyField];
        if (deliveries > _options.MaxDeliveries)
        {
            await DeadLetterAsync(db, entry, body, deliveries, "deliveries", $"failed {deliveries - 1} deliveries");
            return;
        }
        string? error = "no body field";
        if (body is null || IncomingMessageReader.Read(body, out error) is not { } message)
        {
            counters.Rejected();
            await DeadLetterAsync(db, entry, body, deliveries, "unreadable", "unreadable: " + error);
            return;
        }
        if (!inFlight.TryAdd(entry.Id))
            return;
        var headers = new Dictionary<string, object>(message.Headers, StringComparer.OrdinalIgnoreCase) { [DeliveriesHeader] = deliveries };
        await queue.EnqueueAsync(message.OrderingKey, () => DispatchAsync(db, entry, message, headers, deliveries, stoppingToken), stoppingToken);
    }

    private async Task DispatchAsync(IDatabaseAsync db, StreamEntry entry, IncomingMessage message, Dictionary<string, object> headers, long deliveries, CancellationToken stoppingToken)
    {
        try
        {
            await dispatcher.Dispatch(message.Body, headers, stoppingToken);
            counters.Dispatched();
            await AcknowledgeAsync(db, entry.Id);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogAbandoned(logger, message.MessageId, entry.Id.ToString());
        }
#pragma warning disable CA1031 // The adapter must outlive any one message: a refusal is dead-lettered, anything else stays pending.
        catch (Exception e)
#pragma warning restore CA1031
        {
            counters.Failed();
            if (refusal.IsRefusal(e))
            {
                await DeadLetterAsync(db, entry, message.Body, deliveries, "refused", "refused: " + e.Message);
            }
            else
            {
                LogLeftPending(logger, message.MessageId, entry.Id.ToString(), deliveries, _options.MaxDeliveries, e.GetType().Name, e.Message);
            }
        }
        finally
        {
            inFlight.Remove(entry.Id);
        }
    }

    private async Task DeadLetterAsync(IDatabaseAsync db, StreamEntry entry, byte[]? body, long deliveries, string kind, string reason)
    {
        try
        {
            await db.StreamAddAsync(names.DeadLetter,
            [
                new NameValueEntry(StreamNames.BodyField, body ?? []),
                new NameValueEntry(StreamNames.ContentTypeField, entry[StreamNames.ContentTypeField]),
                new NameValueEntry(StreamNames.ReasonField, reason),
                new NameValueEntry(StreamNames.SourceIdField, entry.Id),
                new NameValueEntry(StreamNames.DeliveriesField, deliveries),
                new NameValueEntry(StreamNames.ConsumerField, _options.Consumer),
            ], new StreamAddOptions { MaxLength = _options.MaxLength, Approximate = true });
            streamCounters.DeadLettered(kind);
            LogDeadLettered(logger, entry.Id.ToString(), names.DeadLetter, deliveries, reason);
            await AcknowledgeAsync(db, entry.Id);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Not acknowledged: the entry stays pending and comes back after its idle time.
            LogAckFailed(logger, entry.Id.ToString(), e.GetType().Name);
        }
    }

    private async Task AcknowledgeAsync(IDatabaseAsync db, RedisValue id)
    {
        try
        {
            await db.StreamAcknowledgeAsync(names.Stream, _options.Group, id);
            streamCounters.Acknowledged();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Handled but not acknowledged: it is delivered again and the idempotency filter skips it as done.
            LogAckFailed(logger, id.ToString(), e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Error,
        Message = "Message {MessageId} (stream entry {EntryId}) failed delivery {Deliveries} of {MaxDeliveries} after its retries: {ErrorType}: {Error}; it stays pending and is delivered again")]
    private static partial void LogLeftPending(ILogger logger, Guid messageId, string entryId, long deliveries, int maxDeliveries, string errorType, string error);

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "Moved stream entry {EntryId} to {DeadLetter} after {Deliveries} delivery(ies): {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string entryId, string deadLetter, long deliveries, string reason);

    [LoggerMessage(EventId = 132, Level = LogLevel.Warning, Message = "Could not acknowledge stream entry {EntryId} ({ErrorType}); it is delivered again later")]
    private static partial void LogAckFailed(ILogger logger, string entryId, string errorType);

    [LoggerMessage(EventId = 133, Level = LogLevel.Warning, Message = "Message {MessageId} (stream entry {EntryId}) was abandoned at shutdown; it stays pending for another worker")]
    private static partial void LogAbandoned(ILogger logger, Guid messageId, string entryId);
}
