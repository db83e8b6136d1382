using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Transport.Publishing;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress.Replay;

/// <summary>
/// The record a token's event is published once under: kept in Valkey under the token's jti for as long as the token
/// could still be accepted, so a captured token cannot start a second event and a client retry gets the first
/// attempt's event id. The publish script writes it with the PUBLISH or XADD; it says "delivered" once a worker has
/// the event (or it is stored), so a retry after 502, 503 or 429 publishes the same event again under the same id.
/// </summary>
public sealed class TokenRecords(IValkeyMessagePublisher publisher, IOptions<GitHubOidcOptions> oidc, TimeProvider time)
{
    /// <summary>The key is this prefix and the SHA-256 of iss and jti, with the stream's hash tag between them in stream mode.</summary>
    public const string KeyPrefix = "kuberollouttrigger:jti:";

    public OnceRecord For(ClaimsPrincipal user, string fingerprint, bool unheardCountsAsDelivered)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new OnceRecord(publisher.RecordKey(KeyPrefix, Identity(user)), fingerprint, Remaining(user), unheardCountsAsDelivered);
    }

    /// <summary>Hashed: a jti is the caller's text; the key stays short and free of anything they chose.</summary>
    private static string Identity(ClaimsPrincipal user)
    {
        var identity = user.FindFirstValue("iss") + "\n" + user.FindFirstValue(GitHubClaimNames.TokenId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
    }

    /// <summary>Until the token can no longer be accepted: its expiry plus the clock skew, or its maximum age, whichever is first.</summary>
    private TimeSpan Remaining(ClaimsPrincipal user)
    {
        var options = oidc.Value;
        var now = time.GetUtcNow();
        var until = now + options.MaxTokenAge + options.ClockSkew;
        if (Seconds(user, GitHubClaimNames.Expires) is { } exp)
            until = Min(until, DateTimeOffset.FromUnixTimeSeconds(exp) + options.ClockSkew);
        if (Seconds(user, GitHubClaimNames.IssuedAt) is { } iat)
            until = Min(until, DateTimeOffset.FromUnixTimeSeconds(iat) + options.MaxTokenAge + options.ClockSkew);
        var remaining = until - now;
        return remaining < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : remaining;
    }

    private static long? Seconds(ClaimsPrincipal user, string claim) =>
        long.TryParse(user.FindFirstValue(claim), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
        && value < DateTimeOffset.MaxValue.ToUnixTimeSeconds() ? value : null;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
