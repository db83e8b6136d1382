using Microsoft.AspNetCore.Http;

namespace Kuberollouttrigger.Ingress.Server;

/// <summary>
/// The <c>detail</c> of answers no endpoint wrote itself (routing's 404 and 405), so every error body says what to do:
/// which paths exist, which method a path takes; and a <c>type</c> for 429.
/// </summary>
public static class ProblemDetailsDefaults
{
    public const string NotFound = "nothing is served at this path: send POST /event, or GET /events/{id} with the id a 202 answered";

    /// <summary>RFC 6585's 429, which ASP.NET Core gives no type.</summary>
    public const string TooManyRequestsType = "https://tools.ietf.org/html/rfc6585#section-4";

    public static void Complete(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ProblemDetails.Status == StatusCodes.Status429TooManyRequests)
            context.ProblemDetails.Type ??= TooManyRequestsType;
        if (context.ProblemDetails.Detail is not null)
            return;
        var http = context.HttpContext;
        context.ProblemDetails.Detail = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => NotFound,
            StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed at this path; it takes {Allowed(http)}",
            _ => null,
        };
    }

    private static string Allowed(HttpContext context) =>
        context.Response.Headers.Allow is { Count: > 0 } allow ? allow.ToString() : "another method";
}
