using Kuberollouttrigger.Contracts.Status;
using Microsoft.AspNetCore.Http;

namespace Kuberollouttrigger.Ingress.Decisions;

/// <summary>
/// The HTTP status a waited <c>POST /event</c> answers with, by the event's state: 200 done; 424 failed (a restart or
/// rollout failed); 422 no-match, or 200 with NO_MATCH_IS_SUCCESS; 202 while not final (the wait ran out).
/// </summary>
public static class StatusAnswer
{
    public static int CodeFor(EventStatus status, bool noMatchIsSuccess)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.State switch
        {
            EventStates.Done => StatusCodes.Status200OK,
            EventStates.Failed => StatusCodes.Status424FailedDependency,
            EventStates.NoMatch => noMatchIsSuccess ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity,
            _ => StatusCodes.Status202Accepted,
        };
    }

    public static IResult Json(EventStatus status, int statusCode) =>
        Results.Json(status, EventStatusJson.Default.EventStatus, "application/json", statusCode);
}
