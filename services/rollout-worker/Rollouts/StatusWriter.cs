using Kuberollouttrigger.Common.Status;
using Kuberollouttrigger.Contracts.Status;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.RolloutWorker.Rollouts;

/// <summary>
/// Writes the book's records to Valkey one after another (so a later state never loses to an earlier one) and
/// announces each on the status channel. The record is a report, not part of the rollout: when Valkey refuses a write,
/// it is logged and the next change writes the whole record again.
/// </summary>
public sealed partial class StatusWriter(EventStatusBook book, EventStatusStore store, IOptions<StatusOptions> options, ILogger<StatusWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var status in book.Writes.ReadAllAsync(stoppingToken))
                await WriteAsync(status, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(EventStatus status, CancellationToken cancellationToken)
    {
        try
        {
            await store.WriteAsync(status, options.Value.Ttl, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogWriteFailed(logger, status.EventId, status.State, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Warning, Message = "Could not record status {State} of event {EventId} in Valkey ({ErrorType})")]
    private static partial void LogWriteFailed(ILogger logger, Guid eventId, string state, string errorType);
}
