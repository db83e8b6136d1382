using Kuberollouttrigger.Ingress.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Kuberollouttrigger.Ingress.Events;

public static class EventEndpoints
{
    /// <summary><c>POST /event</c>: authenticated by the GitHub OIDC policy; other methods get 405 from routing.</summary>
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/event", (HttpContext context, EventIntake intake) => intake.AcceptAsync(context))
            .RequireAuthorization(GitHubOidcAuthenticationExtensions.PolicyName)
            .WithName("PostEvent");
        return endpoints;
    }
}
