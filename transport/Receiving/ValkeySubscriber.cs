using System.Threading.Channels;
using Kuberollouttrigger.Transport.Connection;
using MassTransit.Transports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>
/// Subscribes to the Valkey channel and hands every message to a MassTransit receive endpoint dispatcher on the
/// in-memory bus. Up to <see cref="ValkeyReceiveOptions.Concurrency"/> messages run at once; two for the same image
/// (the ordering key) never do, and run in the order they arrived. A bad message is logged and counted; the next one is processed.
/// The subscription comes back by itself after Valkey restarts (StackExchange.Redis resubscribes on reconnect).
/// </summary>
public sealed partial class ValkeySubscriber(
    IValkeyConnection connection,
    IReceiveEndpointDispatcher dispatcher,
    SubscriptionState state,
    ReceiveCounters counters,
    IOptions<ValkeyOptions> valkeyOptions,
    IOptions<ValkeyReceiveOptions> receiveOptions,
    ILogger<ValkeySubscriber> logger) : BackgroundService
{
    private readonly string _channel = valkeyOptions.Value.Channel;

    // Set once SUBSCRIBE has succeeded: before that a restored connection carries no subscription of ours yet.
    private volatile bool _hasSubscription;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = receiveOptions.Value;
        using var queue = new KeyedDispatcher(options.Concurrency, options.Concurrency * options.LaneCapacity);
        var subscription = await SubscribeAsync(stoppingToken);
        if (subscription is not null)
        {
            try
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    var received = await subscription.ReadAsync(stoppingToken);
                    var message = Accept((byte[]?)received.Message);
                    if (message is not null)
                        await queue.EnqueueAsync(message.OrderingKey, () => DispatchAsync(message, stoppingToken), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (ChannelClosedException) when (stoppingToken.IsCancellationRequested)
            {
            }
            finally
            {
                state.Set(false);
                await subscription.UnsubscribeAsync();
            }
        }
        await queue.DrainAsync();
    }

    private async Task<ChannelMessageQueue?> SubscribeAsync(CancellationToken stoppingToken)
    {
        var multiplexer = await connection.GetAsync();
        multiplexer.ConnectionFailed += OnConnectionFailed;
        multiplexer.ConnectionRestored += OnConnectionRestored;
        var retry = new ValkeyRetryDelay();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var queue = await multiplexer.GetSubscriber().SubscribeAsync(RedisChannel.Literal(_channel));
                _hasSubscription = true;
                state.Set(true);
                LogSubscribed(logger, _channel);
                return queue;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                var delay = retry.Next();
                LogSubscribeFailed(logger, _channel, e.GetType().Name, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }
        return null;
    }

    private IncomingMessage? Accept(byte[]? body)
    {
        counters.Received();
        var message = body is null ? null : IncomingMessageReader.Read(body, out var error) ?? Reject(error!);
        return message;

        IncomingMessage? Reject(string reason)
        {
            counters.Rejected();
            LogBadMessage(logger, _channel, reason, body.Length);
            return null;
        }
    }

    private async Task DispatchAsync(IncomingMessage message, CancellationToken stoppingToken)
    {
        try
        {
            await dispatcher.Dispatch(message.Body, message.Headers, stoppingToken);
            counters.Dispatched();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogAbandoned(logger, message.MessageId);
        }
#pragma warning disable CA1031 // The adapter must outlive any one message: log, count, go on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            counters.Failed();
            LogDispatchFailed(logger, message.MessageId, e.GetType().Name, e.Message);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            state.Set(false);
            LogDisconnected(logger, _channel, e.FailureType.ToString());
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription && _hasSubscription)
        {
            state.Set(true);
            LogSubscribed(logger, _channel);
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Subscribed to Valkey channel {Channel}")]
    private static partial void LogSubscribed(ILogger logger, string channel);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Could not subscribe to Valkey channel {Channel} ({ErrorType}); retrying in {DelaySeconds:F1} s")]
    private static partial void LogSubscribeFailed(ILogger logger, string channel, string errorType, double delaySeconds);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Lost the Valkey subscription to {Channel} ({FailureType}); it resumes when Valkey is back")]
    private static partial void LogDisconnected(ILogger logger, string channel, string failureType);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Dropped a message on {Channel}: {Reason} ({Length} bytes)")]
    private static partial void LogBadMessage(ILogger logger, string channel, string reason, int length);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Message {MessageId} failed after its retries: {ErrorType}: {Error}")]
    private static partial void LogDispatchFailed(ILogger logger, Guid messageId, string errorType, string error);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Message {MessageId} was abandoned at shutdown")]
    private static partial void LogAbandoned(ILogger logger, Guid messageId);
}
