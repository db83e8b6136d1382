using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Kuberollouttrigger.Ingress.Abuse;

/// <summary>A 429 with Retry-After in whole seconds and a one-line reason.</summary>
public static class TooManyRequests
{
    public static IResult Result(HttpContext context, TimeSpan retryAfter, string reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, detail: $"{reason}; retry after {seconds} s");
    }

    public static Task WriteAsync(HttpContext context, TimeSpan retryAfter, string reason) =>
        Result(context, retryAfter, reason).ExecuteAsync(context);
}
