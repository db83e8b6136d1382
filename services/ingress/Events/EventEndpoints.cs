using System.Security.Claims;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Decisions;
using Kuberollouttrigger.Ingress.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kuberollouttrigger.Ingress.Events;

public static class EventEndpoints
{
    /// <summary>
    /// The two routes, on one group that requires the GitHub OIDC policy (and with it the client address's failure
    /// budget, checked before any token is read): <c>POST /event</c>, counted by <see cref="EventMetricsFilter"/>, and
    /// <c>GET /events/{id}</c>. Other methods get 405 from routing.
    /// </summary>
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder endpoints)
    {
        var events = endpoints.MapGroup("").RequireAuthorization(GitHubOidcAuthenticationExtensions.PolicyName);
        events.MapPost("/event", PostAsync).AddEndpointFilter<EventMetricsFilter>().WithName("PostEvent");
        events.MapGet("/events/{id}", EventStatusEndpoint.ReadAsync).WithName("GetEventStatus");
        return endpoints;
    }

    /// <summary>
    /// <c>POST /event[?wait=SECONDS]</c> in one line: a waited request first takes one of the process's wait slots
    /// (<see cref="WaitSlots"/>), the intake decides, and only an accepted event is waited for; <see cref="DecisionResult"/> answers.
    /// </summary>
    private static async Task<DecisionResult> PostAsync(HttpContext context, EventIntake intake, EventWait waiter, WaitSlots slots)
    {
        var (wait, badWait) = WaitParameter.From(context.Request.Query);
        if (badWait is not null)
            return DecisionResult.For(badWait);
        if (wait is not { } waitFor)
            return DecisionResult.For(await intake.AcceptAsync(context));
        var (slot, full) = slots.TryTake(context.User.FindFirstValue(GitHubClaimNames.Repository) ?? "");
        if (full is not null)
            return DecisionResult.For(full);
        using (slot)
        {
            var decision = await intake.AcceptAsync(context);
            if (decision is not Accepted accepted)
                return DecisionResult.For(decision);
            var waited = await waiter.WaitAsync(accepted, context.User, waitFor, context.RequestAborted);
            return DecisionResult.Waited(accepted, waited.Status, waited.StatusCode);
        }
    }
}
