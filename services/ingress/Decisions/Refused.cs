using System.Globalization;

namespace Kuberollouttrigger.Ingress.Decisions;

/// <summary>
/// The request is refused for <paramref name="Cause"/>, with a one-line <paramref name="Reason"/> that says what to fix,
/// and when to try again if that helps.
/// </summary>
public sealed record Refused(RefusalCause Cause, string Reason, TimeSpan? RetryAfter = null) : IntakeDecision
{
    /// <summary>A refusal to retry after <paramref name="retryAfter"/>, which the reason states in whole seconds.</summary>
    public static Refused RetryLater(RefusalCause cause, string reason, TimeSpan retryAfter)
    {
        var refused = new Refused(cause, reason, retryAfter);
        return refused with { Reason = string.Create(CultureInfo.InvariantCulture, $"{reason}; retry after {refused.RetryAfterSeconds} s") };
    }

    /// <summary>Whole seconds, at least one, as Retry-After carries them; null when retrying does not help.</summary>
    public int? RetryAfterSeconds => RetryAfter is { } after ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : null;
}
