using Kuberollouttrigger.Common.Status;
using Kuberollouttrigger.Transport.Connection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Kuberollouttrigger.Ingress.Status;

/// <summary>
/// One subscription per process to the status channel, fanned out to the waiting requests by event id: a waiting
/// request holds no Valkey connection of its own and polls nothing. StackExchange.Redis resubscribes after a reconnect.
/// </summary>
public sealed partial class StatusNotifications(IValkeyConnection connection, EventStatusStore store, ILogger<StatusNotifications> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, List<StatusListener>> _listeners = [];

    public StatusListener Listen(Guid eventId)
    {
        var listener = new StatusListener(eventId, Remove);
        lock (_gate)
        {
            if (!_listeners.TryGetValue(eventId, out var list))
                _listeners[eventId] = list = [];
            list.Add(listener);
        }
        return listener;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = new ValkeyRetryDelay();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var multiplexer = await connection.GetAsync();
                await multiplexer.GetSubscriber().SubscribeAsync(store.NotificationChannel, (_, message) => Notify(message));
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                var delay = retry.Next();
                LogSubscribeFailed(logger, e.GetType().Name, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Notify(RedisValue message)
    {
        if (EventStatusStore.ParseNotification(message) is not { } eventId)
            return;
        lock (_gate)
        {
            if (_listeners.TryGetValue(eventId, out var list))
            {
                foreach (var listener in list)
                    listener.Signal();
            }
        }
    }

    private void Remove(StatusListener listener)
    {
        lock (_gate)
        {
            if (_listeners.TryGetValue(listener.EventId, out var list) && list.Remove(listener) && list.Count == 0)
                _listeners.Remove(listener.EventId);
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Could not subscribe to the status channel ({ErrorType}); waiting requests re-read instead; retrying in {DelaySeconds} s")]
    private static partial void LogSubscribeFailed(ILogger logger, string errorType, double delaySeconds);
}
