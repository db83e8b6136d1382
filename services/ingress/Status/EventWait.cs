using System.Security.Claims;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Decisions;
using Kuberollouttrigger.Common.Status;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Ingress.Status;

/// <summary>
/// <c>POST /event?wait=SECONDS</c>, once the event is accepted: waits for its final status (or the end of the wait) on
/// the process's one status subscription. A client that disconnects cancels its wait; a process that stops answers
/// every wait with the status as it is.
/// </summary>
public sealed partial class EventWait(
    EventStatusStore store,
    StatusNotifications notifications,
    IOptions<EventWaitOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<EventWait> logger)
{
    public async Task<WaitedStatus> WaitAsync(Accepted accepted, ClaimsPrincipal user, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        var status = await WaitForFinalAsync(accepted.EventId, wait, cancellationToken) ?? Published(accepted, user);
        var code = StatusAnswer.CodeFor(status, options.Value.NoMatchIsSuccess);
        LogAnswered(logger, status.EventId, status.State, code);
        return new WaitedStatus(status, code);
    }

    private async Task<EventStatus?> WaitForFinalAsync(Guid eventId, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var listener = notifications.Listen(eventId);
        var started = time.GetTimestamp();
        while (true)
        {
            // Listening began before this read, so a change written after it is signalled and none is missed.
            var status = await TryReadAsync(eventId, cancellationToken);
            var left = wait - time.GetElapsedTime(started);
            if (status is not null && EventStates.IsFinal(status.State) || left <= TimeSpan.Zero || lifetime.ApplicationStopping.IsCancellationRequested)
                return status;
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
            try
            {
                await listener.WaitAsync(left < options.Value.Recheck ? left : options.Value.Recheck, wake.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Shutting down: one last read, then the answer, so the client is not cut off mid-wait.
            }
        }
    }

    private async Task<EventStatus?> TryReadAsync(Guid eventId, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadAsync(eventId, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Valkey may be back by the next notification or re-read; the wait's end answers 202 meanwhile.
            LogReadFailed(logger, eventId, e.GetType().Name);
            return null;
        }
    }

    /// <summary>The answer when no worker has reported yet: what the request asked for, state published.</summary>
    private EventStatus Published(Accepted accepted, ClaimsPrincipal user)
    {
        var trigger = TriggerClaims.From(user);
        return new EventStatus(accepted.EventId, EventStates.Published, trigger.Repository, trigger.Sha, accepted.Image, accepted.Tags, [], time.GetUtcNow());
    }

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Waited for event {EventId}: {State}, answered {Status}")]
    private static partial void LogAnswered(ILogger logger, Guid eventId, string state, int status);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Could not read the status of event {EventId} ({ErrorType}); still waiting")]
    private static partial void LogReadFailed(ILogger logger, Guid eventId, string errorType);
}
