using Kuberollouttrigger.Common.Status;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.Ingress.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Ingress.Status;

/// <summary>
/// <c>POST /event?wait=SECONDS</c>: the intake as always, then the answer waits for the event's final status (or the
/// end of the wait) on the process's one status subscription. Without <c>wait</c> the intake's answer is returned as is.
/// A client that disconnects cancels its wait; a process that stops answers every wait with the status as it is.
/// </summary>
public sealed partial class EventWait(
    EventStatusStore store,
    StatusNotifications notifications,
    IOptions<EventWaitOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<EventWait> logger)
{
    public const string Parameter = "wait";

    public async Task<IResult> AcceptAsync(HttpContext context, EventIntake intake)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(intake);
        if (!context.Request.Query.TryGetValue(Parameter, out var values))
            return await intake.AcceptAsync(context);
        var (wait, error) = WaitParameter.Parse(values);
        if (error is not null)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: error);

        var result = await intake.AcceptAsync(context);
        if (result is not JsonHttpResult<EventAccepted> { Value: { } accepted })
            return result;

        var status = await WaitAsync(accepted.EventId, wait, context.RequestAborted)
            ?? Published(accepted, context);
        var code = StatusAnswer.CodeFor(status, options.Value.NoMatchIsSuccess);
        LogAnswered(logger, status.EventId, status.State, code);
        return StatusAnswer.Json(status, code);
    }

    private async Task<EventStatus?> WaitAsync(Guid eventId, TimeSpan wait, CancellationToken cancellationToken)
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
    private EventStatus Published(EventAccepted accepted, HttpContext context)
    {
        var trigger = TriggerClaims.From(context.User);
        return new EventStatus(accepted.EventId, EventStates.Published, trigger.Repository, trigger.Sha, accepted.Image, accepted.Tags, [], time.GetUtcNow());
    }

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Waited for event {EventId}: {State}, answered {Status}")]
    private static partial void LogAnswered(ILogger logger, Guid eventId, string state, int status);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Could not read the status of event {EventId} ({ErrorType}); still waiting")]
    private static partial void LogReadFailed(ILogger logger, Guid eventId, string errorType);
}
