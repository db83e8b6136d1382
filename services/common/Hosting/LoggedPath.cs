using Microsoft.AspNetCore.Http;

namespace Kuberollouttrigger.Common.Hosting;

/// <summary>
/// A request path as logs and traces may carry it. A token pasted into the URL (<c>POST /event/eyJ…</c>,
/// <c>/event/Bearer%20eyJ…</c>) must not reach a log line, so every path segment that could hold a credential is
/// replaced by <see cref="Redacted"/>: one longer than <see cref="MaxSegment"/> characters (every JWT is), one holding a
/// JSON Web Token's <c>eyJ</c> header start, and one starting like a GitHub token (<c>ghp_</c>, <c>ghs_</c>,
/// <c>github_pat_</c>, …). The routes' own segments (<c>event</c>, <c>events</c>, an event id) stay readable.
/// </summary>
public static class LoggedPath
{
    public const string Redacted = "(redacted)";
    public const int MaxSegment = 64;
    private const int MaxSegments = 16;
    private static readonly string[] GitHubTokenPrefixes = ["ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_"];

    public static string Of(PathString path)
    {
        var value = path.Value;
        if (string.IsNullOrEmpty(value))
            return "";
        var segments = value.Split('/');
        if (!segments.Any(MayHoldCredential) && segments.Length <= MaxSegments + 1)
            return value;
        var kept = segments.Take(MaxSegments + 1).Select(s => MayHoldCredential(s) ? Redacted : s);
        return string.Join('/', kept) + (segments.Length > MaxSegments + 1 ? "/…" : "");
    }

    private static bool MayHoldCredential(string segment) =>
        segment.Length > MaxSegment
        || segment.Contains("eyJ", StringComparison.Ordinal)
        || GitHubTokenPrefixes.Any(p => segment.Contains(p, StringComparison.OrdinalIgnoreCase));
}
