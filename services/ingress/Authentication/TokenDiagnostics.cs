using Microsoft.IdentityModel.JsonWebTokens;

namespace Kuberollouttrigger.Ingress.Authentication;

/// <summary>
/// What may be logged about a rejected token: header alg and kid and the claimed iss, aud and repository_owner,
/// read without trusting them and cut short. Never the token or its signature.
/// </summary>
public sealed record TokenDiagnostics(string Alg, string Kid, string Issuer, string Audience, string RepositoryOwner)
{
    private const int MaxField = 100;
    private static readonly TokenDiagnostics Unreadable = new("?", "?", "?", "?", "?");

    public static TokenDiagnostics FromAuthorizationHeader(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return Unreadable;
        try
        {
            var token = new JsonWebToken(authorization[scheme.Length..].Trim());
            return new TokenDiagnostics(
                Safe(token.Alg),
                Safe(token.Kid),
                Safe(token.Issuer),
                Safe(string.Join(',', token.Audiences)),
                Safe(token.TryGetPayloadValue<string>(GitHubClaimNames.RepositoryOwner, out var owner) ? owner : null));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Text.Json.JsonException or Microsoft.IdentityModel.Tokens.SecurityTokenException)
        {
            return Unreadable;
        }
    }

    /// <summary>At most 100 characters, control characters as <c>?</c>; <c>-</c> for nothing.</summary>
    public static string Safe(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "-";
        var cut = value.Length > MaxField ? value[..MaxField] : value;
        return new string([.. cut.Select(c => char.IsControl(c) ? '?' : c)]);
    }
}
