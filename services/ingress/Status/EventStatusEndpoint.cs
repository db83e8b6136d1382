using System.Security.Claims;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Decisions;
using Kuberollouttrigger.Common.Status;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace Kuberollouttrigger.Ingress.Status;

/// <summary>
/// <c>GET /events/{id}</c>: the event's status record, for a token of the repository that sent the event. Any other
/// repository gets the same 404 as an unknown id.
/// </summary>
public static class EventStatusEndpoint
{
    public static async Task<IResult> ReadAsync(string id, HttpContext context, EventStatusStore store)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        if (!Guid.TryParse(id, out var eventId))
            return NotFound();
        EventStatus? status;
        try
        {
            status = await store.ReadAsync(eventId, context.RequestAborted);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            context.Response.Headers.RetryAfter = ((int)DecisionResult.ValkeyRetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, detail: "the status could not be read from Valkey; retry later");
        }
        var repository = context.User.FindFirstValue(GitHubClaimNames.Repository);
        if (status is null || repository is null || !string.Equals(status.Repository, repository, StringComparison.OrdinalIgnoreCase))
            return NotFound();
        return StatusAnswer.Json(status, StatusCodes.Status200OK);
    }

    private static IResult NotFound() => Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: "no such event for this repository");
}
