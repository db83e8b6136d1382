using Microsoft.IdentityModel.Tokens;

namespace Kuberollouttrigger.Ingress.Authentication;

/// <summary>
/// Which check refused a token, in one line that says what to fix: the 401's <c>detail</c>, its
/// <c>WWW-Authenticate</c> <c>error_description</c> and the log line's reason. It quotes only what the caller sent
/// (its own claims, read without trusting them and cut short), never what this service expects.
/// </summary>
public static class TokenRefusal
{
    public const string NoToken = "no bearer token: send 'Authorization: Bearer <GitHub Actions OIDC token>' (the job needs permissions: id-token: write)";
    public const string NoJti = "jti: the token has no jti claim (GitHub Actions tokens always have one)";
    public const string NoIat = "iat: the token has no iat claim";
    public const string IatInFuture = "iat: the token's iat is in the future; check the clocks";
    public const string NoRepositoryOwner = "repository_owner: the token has no repository_owner claim";

    /// <summary>The reason JwtBearer's validation refused the token, by what it threw.</summary>
    public static string For(Exception exception, TokenDiagnostics token)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(token);
        if (exception is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            exception = aggregate.InnerExceptions[0];
        if (token.Alg == "?" || exception is SecurityTokenMalformedException or ArgumentException)
            return "the bearer token is not a well-formed JWT (three base64url parts separated by dots)";
        return exception switch
        {
            SecurityTokenInvalidSignatureException or SecurityTokenInvalidAlgorithmException when token.Alg is "none" or "-" =>
                "signature: the token is not signed; only RS256 tokens signed by the issuer are accepted",
            SecurityTokenInvalidSignatureException or SecurityTokenInvalidAlgorithmException when token.Alg != "RS256" =>
                $"alg: the token is signed with {token.Alg}; only RS256 tokens signed by the issuer are accepted",
            SecurityTokenSignatureKeyNotFoundException =>
                $"signature: the issuer publishes no key with the token's kid '{token.Kid}' (not even after reloading its keys)",
            SecurityTokenInvalidSignatureException =>
                $"signature: the token's signature does not verify with the issuer's key '{token.Kid}'",
            SecurityTokenInvalidIssuerException =>
                $"iss: the token's issuer '{token.Issuer}' is not the issuer this service trusts",
            SecurityTokenInvalidAudienceException =>
                $"aud: the token's audience '{token.Audience}' is not this service's; request the token with the audience the service expects",
            SecurityTokenExpiredException expired =>
                $"exp: the token expired at {expired.Expires:yyyy-MM-ddTHH:mm:ssZ}; request a new one right before the request",
            SecurityTokenNotYetValidException early =>
                $"nbf: the token is not valid before {early.NotBefore:yyyy-MM-ddTHH:mm:ssZ}; check the clocks",
            SecurityTokenNoExpirationException => "exp: the token has no expiry",
            _ => $"the token was refused ({exception.GetType().Name})",
        };
    }

    /// <summary>The token's repository_owner is not the allowed organization.</summary>
    public static string WrongOwner(string owner) =>
        $"repository_owner: '{TokenDiagnostics.Safe(owner)}' is not the organization this service accepts";

    /// <summary>The token's iat is older than MAX_TOKEN_AGE allows.</summary>
    public static string TooOld(TimeSpan age, TimeSpan maxAge) =>
        $"iat: the token was issued {(long)age.TotalSeconds} s ago, more than MAX_TOKEN_AGE ({(long)maxAge.TotalSeconds} s) allows; request the token right before the request";
}
