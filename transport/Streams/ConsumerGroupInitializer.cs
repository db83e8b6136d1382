using Kuberollouttrigger.Transport.Connection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Streams;

/// <summary>
/// The web mode creates the consumer group (with MKSTREAM) when it starts, so events accepted before any worker ever
/// ran are kept for the group. Valkey may be down at start: it retries in the background without holding up start-up.
/// With PubSub delivery it has nothing to do.
/// </summary>
public sealed partial class ConsumerGroupInitializer(
    IValkeyConnection connection,
    IOptions<ValkeyOptions> valkeyOptions,
    IOptions<StreamDeliveryOptions> streamOptions,
    ILogger<ConsumerGroupInitializer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!streamOptions.Value.IsStream)
            return;
        var names = StreamNames.For(valkeyOptions.Value);
        var group = streamOptions.Value.Group;
        var retry = new ValkeyRetryDelay();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var multiplexer = await connection.GetAsync().WaitAsync(valkeyOptions.Value.OperationTimeout, stoppingToken);
                var created = await ConsumerGroup.EnsureAsync(multiplexer.GetDatabase(), names.Stream, group).WaitAsync(valkeyOptions.Value.OperationTimeout, stoppingToken);
                LogReady(logger, group, names.Stream, created);
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                var delay = retry.Next();
                LogFailed(logger, group, names.Stream, e.GetType().Name, delay.TotalSeconds);
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Consumer group {Group} on stream {Stream} is ready (created now: {Created})")]
    private static partial void LogReady(ILogger logger, string group, string stream, bool created);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "Could not create consumer group {Group} on stream {Stream} ({ErrorType}); retrying in {DelaySeconds:F1} s")]
    private static partial void LogFailed(ILogger logger, string group, string stream, string errorType, double delaySeconds);
}
