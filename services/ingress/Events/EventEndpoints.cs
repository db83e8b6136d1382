using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kuberollouttrigger.Ingress.Events;

public static class EventEndpoints
{
    /// <summary>
    /// <c>POST /event</c>: authenticated by the GitHub OIDC policy; other methods get 405 from routing.
    /// With <c>?wait=SECONDS</c> the answer waits for the event's outcome (<see cref="EventWait"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/event", (HttpContext context, EventIntake intake, EventWait wait) => wait.AcceptAsync(context, intake))
            .RequireAuthorization(GitHubOidcAuthenticationExtensions.PolicyName)
            .WithName("PostEvent");
        return endpoints;
    }
}
