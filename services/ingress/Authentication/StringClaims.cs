using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kuberollouttrigger.Ingress.Authentication;

/// <summary>
/// The claims the org check, the policy, the replay record and the published message rely on must each be one JSON
/// string. An array would otherwise be read as its first element (a claims principal holds one claim per element), a
/// number or an object as text, and a claim given twice (in any letter case) as whichever came first. GitHub writes
/// each of them as a string, so anything else is refused, naming the claim.
/// </summary>
public static class StringClaims
{
    public static IReadOnlyList<string> Names { get; } =
    [
        GitHubClaimNames.RepositoryOwner, GitHubClaimNames.Repository, GitHubClaimNames.Ref, GitHubClaimNames.RepositoryId,
        GitHubClaimNames.RepositoryOwnerId, GitHubClaimNames.Environment, GitHubClaimNames.JobWorkflowRef,
    ];

    /// <summary>Why the token is refused (naming the claim), or null when each of <see cref="Names"/> is absent or one string.</summary>
    public static string? Check(SecurityToken? token)
    {
        if (token is not JsonWebToken jwt)
            return "the token's claims could not be read";
        try
        {
            return Check(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or JsonException)
        {
            return "the token's claims could not be read";
        }
    }

    private static string? Check(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return "the token's claims are not a JSON object";
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } claim)
            {
                if (!seen.Add(claim))
                    return $"the token's {claim} claim appears more than once";
                if (reader.TokenType != JsonTokenType.String)
                    return $"the token's {claim} claim must be a string, not {Describe(reader.TokenType)}";
            }
            reader.Skip();
        }
        return null;
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "another JSON value",
    };
}
