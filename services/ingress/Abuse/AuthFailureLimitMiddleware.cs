using Kuberollouttrigger.Ingress.Events;
using Microsoft.AspNetCore.Http;

namespace Kuberollouttrigger.Ingress.Abuse;

/// <summary>
/// Runs before authentication: a client address that has spent its failure budget gets 429 without its token being
/// parsed or its signature checked, so a flood of bad tokens costs a dictionary lookup, not an RSA verification.
/// A valid token from such an address is limited too: telling it apart would take the signature check this avoids.
/// </summary>
public sealed class AuthFailureLimitMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, AbuseLimits limits, IngressMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(metrics);
        if (!IsAuthenticatedPath(context.Request.Path) || !limits.IsAddressLimited(context, out var retryAfter))
        {
            await next(context);
            return;
        }
        metrics.Received();
        metrics.Rejected("rate_limit");
        await TooManyRequests.WriteAsync(context, retryAfter, "too many failed authentication attempts from this address");
    }

    /// <summary>Every route that verifies a token: <c>POST /event</c> and <c>GET /events/{id}</c>.</summary>
    private static bool IsAuthenticatedPath(PathString path) => path.StartsWithSegments("/event") || path.StartsWithSegments("/events");
}
