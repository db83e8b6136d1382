using System.Threading.Channels;
using Kuberollouttrigger.Transport.Connection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>
/// PubSub delivery: subscribes to the Valkey channel and hands every message to <see cref="DeliveryHandler"/>. PubSub
/// never redelivers, so a message that failed for good goes to the dead-letter stream. The subscription comes back by
/// itself after Valkey restarts (StackExchange.Redis resubscribes on reconnect).
/// </summary>
public sealed partial class ValkeySubscriber(
    IValkeyConnection connection,
    DeliveryHandler handler,
    SubscriptionState state,
    IOptions<ValkeyOptions> valkeyOptions,
    IOptions<ValkeyReceiveOptions> receiveOptions,
    ILogger<ValkeySubscriber> logger) : IDeliverySource
{
    private readonly string _channel = valkeyOptions.Value.Channel;
    private readonly RedisChannel _events = ValkeyNames.Of(valkeyOptions.Value).Events;

    // Set once SUBSCRIBE has succeeded: before that a restored connection carries no subscription of ours yet.
    private volatile bool _hasSubscription;

    public bool Redelivers => false;

    public Task AcknowledgeAsync(Delivery delivery) => Task.CompletedTask;

    public void Release(Delivery delivery)
    {
    }

    public async Task RunAsync(CancellationToken stoppingToken)
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
                    await handler.AcceptAsync(new Delivery((byte[]?)received.Message, null, 1, _channel), this, queue, stoppingToken);
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
                var queue = await multiplexer.GetSubscriber().SubscribeAsync(_events);
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
}
