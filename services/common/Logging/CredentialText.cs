using System.Text.RegularExpressions;

namespace Kuberollouttrigger.Common.Logging;

/// <summary>
/// The last line of defence for "never a token in a log line": whatever a log line carries (its message, its fields,
/// the scopes around it such as the framework's <c>request_path</c>, an exception message), text shaped like a JSON
/// Web Token (<c>eyJ…</c>, one to three base64url parts) or a GitHub token (<c>ghs_…</c>, <c>github_pat_…</c>) is
/// written as <see cref="Redacted"/>. Code does not log tokens; this catches a token a caller put where a path or a
/// name was expected.
/// </summary>
public static partial class CredentialText
{
    public const string Redacted = "(redacted)";

    public static string Redact(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains("eyJ", StringComparison.Ordinal) && !value.Contains("gh", StringComparison.OrdinalIgnoreCase))
            return value;
        return Token().Replace(value, Redacted);
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,2}|\b(?:gh[opsur]_|github_pat_)[A-Za-z0-9_]{20,}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Token();
}
