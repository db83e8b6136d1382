using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>
/// Stream delivery's read loop, one consumer of the group per worker process. StackExchange.Redis cannot block in
/// XREADGROUP on its shared connection, so the loop polls: at once while entries come, then with a doubling wait up
/// to <see cref="StreamDeliveryOptions.IdlePollMax"/>, cut short by the web mode's wake-up notification. Every half
/// claim-idle it claims (XAUTOCLAIM) the entries of workers that stopped answering. It survives Valkey restarts:
/// readiness drops while Valkey is away, and a group that vanished with its stream is created again. Each entry goes
/// to <see cref="DeliveryHandler"/> with its delivery count; settling it acknowledges it (XACK), a failure leaves it pending.
/// </summary>
public sealed partial class ValkeyStreamReceiver(
    IValkeyConnection connection,
    DeliveryHandler handler,
    InFlightEntries inFlight,
    SubscriptionState state,
    ReceiveMetrics metrics,
    StreamNames names,
    IOptions<StreamDeliveryOptions> streamOptions,
    IOptions<ValkeyReceiveOptions> receiveOptions,
    TimeProvider time,
    ILogger<ValkeyStreamReceiver> logger) : IDeliverySource
{
    private static readonly TimeSpan MinPoll = TimeSpan.FromMilliseconds(10);
    private readonly StreamDeliveryOptions _options = streamOptions.Value;
    private readonly WakeSignal _wake = new();

    public bool Redelivers => true;

    public async Task AcknowledgeAsync(Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        try
        {
            var db = (await connection.GetAsync()).GetDatabase();
            await db.StreamAcknowledgeAsync(names.Stream, _options.Group, delivery.SourceId);
            metrics.Acknowledged();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Handled but not acknowledged: it is delivered again and the idempotency filter skips it as done.
            LogAckFailed(logger, delivery.SourceId, e.GetType().Name);
        }
    }

    public void Release(Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        inFlight.Remove(delivery.SourceId);
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var receive = receiveOptions.Value;
        using var queue = new KeyedDispatcher(receive.Concurrency, receive.Concurrency * receive.LaneCapacity);
        var multiplexer = await connection.GetAsync();
        var db = multiplexer.GetDatabase();
        var heartbeat = HeartbeatAsync(db, stoppingToken);
        try
        {
            await ReadAsync(multiplexer, db, queue, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            state.Set(false);
        }
        await queue.DrainAsync();
        await heartbeat;
    }

    private async Task ReadAsync(IConnectionMultiplexer multiplexer, IDatabaseAsync db, KeyedDispatcher queue, CancellationToken stoppingToken)
    {
        var groupReady = false;
        var subscribed = false;
        var poll = MinPoll;
        var retry = new ValkeyRetryDelay();
        var nextClaim = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!subscribed)
                {
                    await multiplexer.GetSubscriber().SubscribeAsync(names.WakeChannel, (_, _) => _wake.Set());
                    subscribed = true;
                }
                if (!groupReady)
                {
                    var created = await ConsumerGroup.EnsureAsync(db, names.Stream, _options.Group);
                    groupReady = true;
                    LogReading(logger, names.Stream, _options.Group, _options.Consumer, created);
                }
                if (time.GetUtcNow() >= nextClaim)
                {
                    await ClaimAbandonedAsync(db, queue, stoppingToken);
                    nextClaim = time.GetUtcNow() + (_options.ClaimIdle / 2);
                }
                var entries = await db.StreamReadGroupAsync(names.Stream, _options.Group, _options.Consumer, StreamPosition.NewMessages, _options.BatchSize);
                if (!state.IsSubscribed)
                    LogReadLoopUp(logger, names.Stream);
                state.Set(true);
                retry.Reset();
                foreach (var entry in entries)
                    await AcceptAsync(entry, 1, queue, stoppingToken);
                if (entries.Length > 0)
                {
                    poll = MinPoll;
                    continue;
                }
                await _wake.WaitAsync(poll, time, stoppingToken);
                poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, _options.IdlePollMax.Ticks));
            }
            catch (RedisServerException e) when (ConsumerGroup.IsMissingGroup(e))
            {
                // Valkey lost the stream (a restart without persistence) or someone removed the group: make it again.
                groupReady = false;
                LogGroupMissing(logger, _options.Group, names.Stream);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                if (state.IsSubscribed)
                    LogReadFailed(logger, names.Stream, e.GetType().Name);
                state.Set(false);
                await Task.Delay(retry.Next(), time, stoppingToken);
            }
        }
    }

    /// <summary>Claims entries idle longer than the claim-idle time; each comes with its delivery count, the claim included.</summary>
    private async Task ClaimAbandonedAsync(IDatabaseAsync db, KeyedDispatcher queue, CancellationToken stoppingToken)
    {
        RedisValue start = "0-0";
        for (var page = 0; page < 100 && !stoppingToken.IsCancellationRequested; page++)
        {
            var result = await db.StreamAutoClaimAsync(names.Stream, _options.Group, _options.Consumer, (long)_options.ClaimIdle.TotalMilliseconds, start, _options.BatchSize);
            if (result.DeletedIds.Length > 0)
            {
                metrics.Trimmed(result.DeletedIds.Length);
                LogTrimmed(logger, result.DeletedIds.Length, names.Stream);
            }
            var claimed = result.ClaimedEntries.Where(e => !inFlight.Contains(e.Id)).ToArray();
            if (claimed.Length > 0)
            {
                metrics.Claimed(claimed.Length);
                var pending = await db.StreamPendingMessagesAsync(names.Stream, _options.Group, claimed.Length * 2, _options.Consumer, claimed[0].Id, claimed[^1].Id);
                var deliveries = pending.ToDictionary(p => p.MessageId.ToString(), p => (long)p.DeliveryCount, StringComparer.Ordinal);
                foreach (var entry in claimed)
                {
                    var count = deliveries.GetValueOrDefault(entry.Id.ToString(), 2);
                    LogClaimed(logger, entry.Id.ToString(), count);
                    await AcceptAsync(entry, count, queue, stoppingToken);
                }
            }
            start = result.NextStartId;
            if (start.IsNull || start == "0-0")
                return;
        }
    }

    /// <summary>Hands <paramref name="entry"/>, delivered <paramref name="deliveries"/> times so far, to the handler unless this worker holds it already.</summary>
    private async Task AcceptAsync(StreamEntry entry, long deliveries, KeyedDispatcher queue, CancellationToken stoppingToken)
    {
        if (!inFlight.TryAdd(entry.Id))
            return;
        var delivery = new Delivery((byte[]?)entry[StreamNames.BodyField], (string?)entry[StreamNames.ContentTypeField], deliveries, entry.Id.ToString());
        await handler.AcceptAsync(delivery, this, queue, stoppingToken);
    }

    private async Task HeartbeatAsync(IDatabaseAsync db, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ClaimIdle / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await inFlight.HeartbeatAsync(db, names.Stream, _options.Group, _options.Consumer);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    LogHeartbeatFailed(logger, inFlight.Count, e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "Reading stream {Stream} in consumer group {Group} as {Consumer} (group created now: {Created})")]
    private static partial void LogReading(ILogger logger, string stream, string group, string consumer, bool created);

    [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "Read loop on stream {Stream} is running")]
    private static partial void LogReadLoopUp(ILogger logger, string stream);

    [LoggerMessage(EventId = 142, Level = LogLevel.Warning, Message = "Reading stream {Stream} failed ({ErrorType}); retrying until Valkey answers")]
    private static partial void LogReadFailed(ILogger logger, string stream, string errorType);

    [LoggerMessage(EventId = 143, Level = LogLevel.Warning, Message = "Consumer group {Group} on stream {Stream} is missing (did Valkey lose its data?); creating it again")]
    private static partial void LogGroupMissing(ILogger logger, string group, string stream);

    [LoggerMessage(EventId = 144, Level = LogLevel.Information, Message = "Claimed stream entry {EntryId} from a worker that stopped answering (delivery {Deliveries})")]
    private static partial void LogClaimed(ILogger logger, string entryId, long deliveries);

    [LoggerMessage(EventId = 145, Level = LogLevel.Error, Message = "{Count} pending entries of {Stream} were trimmed away (STREAM_MAX_LEN) before they were handled")]
    private static partial void LogTrimmed(ILogger logger, int count, string stream);

    [LoggerMessage(EventId = 147, Level = LogLevel.Warning, Message = "Could not acknowledge stream entry {EntryId} ({ErrorType}); it is delivered again later")]
    private static partial void LogAckFailed(ILogger logger, string entryId, string errorType);

    [LoggerMessage(EventId = 146, Level = LogLevel.Warning, Message = "Could not refresh {Count} in-flight stream entries ({ErrorType}); another worker may claim them")]
    private static partial void LogHeartbeatFailed(ILogger logger, int count, string errorType);
}
