using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kuberollouttrigger.Common.Hosting;

/// <summary>
/// Assigns the request id (a caller's <c>X-Request-Id</c> when it is short and plain, else a new one),
/// echoes it on the response, makes it the <c>request_id</c> of every log line written while the request is handled,
/// and logs one line per request once the response has started.
/// Never logs headers, so an Authorization header cannot reach a log line, and logs the path as <see cref="LoggedPath"/> gives it.
/// </summary>
public sealed partial class RequestLogMiddleware(ILogger<RequestLogMiddleware> logger, TimeProvider time) : IMiddleware
{
    public const string HeaderName = "X-Request-Id";
    public const string ItemKey = "kuberollouttrigger.request-id";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var requestId = AcceptCallerId(context.Request.Headers[HeaderName]) ?? NewId();
        context.Items[ItemKey] = requestId;
        context.TraceIdentifier = requestId;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = requestId;
            return Task.CompletedTask;
        });

        using var scope = logger.BeginScope(new RequestIdScope(requestId));
        var started = time.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            // The arguments cost allocations of their own: only when the line is written.
            if (logger.IsEnabled(LogLevel.Information) && !IsProbe(context.Request.Path))
            {
                var elapsed = time.GetElapsedTime(started);
                LogRequest(logger, requestId, context.Request.Method, LoggedPath.Of(context.Request.Path), context.Response.StatusCode,
                    Math.Round(elapsed.TotalMilliseconds, 2), context.Connection.RemoteIpAddress?.ToString() ?? "", Truncate(context.Request.Headers.UserAgent.ToString()));
            }
        }
    }

    /// <summary>Health probes and metric scrapes: too frequent to log or trace.</summary>
    public static bool IsProbe(PathString path) => path == "/healthz" || path == "/readyz" || path == "/metrics";

    public static string? RequestIdOf(HttpContext context) => context?.Items[ItemKey] as string;

    private static string? AcceptCallerId(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 64)
            return null;
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                return null;
        }
        return value;
    }

    private static string NewId() => ActivityTraceId.CreateRandom().ToHexString()[..16];

    private static string Truncate(string value) => value.Length <= 200 ? value : value[..200];

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} -> {Status} in {DurationMs} ms (request {RequestId} from {RemoteAddress}, user agent {UserAgent})")]
    private static partial void LogRequest(ILogger logger, string requestId, string method, string path, int status, double durationMs, string remoteAddress, string userAgent);
}
