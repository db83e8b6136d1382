using System.Globalization;
using System.Security.Claims;

namespace Kuberollouttrigger.Ingress.Authentication;

/// <summary>
/// What JwtBearer does not check: a <c>jti</c> to remember the token by (GitHub always sets one; a token without it
/// could be replayed unnoticed, so it is refused) and an <c>iat</c> no older than <see cref="GitHubOidcOptions.MaxTokenAge"/>.
/// </summary>
public static class TokenFreshness
{
    /// <summary>The reason the token is refused, or null.</summary>
    public static string? Check(ClaimsPrincipal principal, DateTimeOffset now, GitHubOidcOptions options)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(principal.FindFirstValue(GitHubClaimNames.TokenId)))
            return TokenRefusal.NoJti;
        if (!long.TryParse(principal.FindFirstValue(GitHubClaimNames.IssuedAt), NumberStyles.None, CultureInfo.InvariantCulture, out var iat))
            return TokenRefusal.NoIat;
        var issued = DateTimeOffset.FromUnixTimeSeconds(Math.Min(iat, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        if (issued > now + options.ClockSkew)
            return TokenRefusal.IatInFuture;
        if (now - issued > options.MaxTokenAge)
            return TokenRefusal.TooOld(now - issued, options.MaxTokenAge);
        return null;
    }
}
