using System.Buffers;
using System.Buffers.Text;
using System.Text;
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

    // The names as UTF-8, compared with the payload's property names where they lie: no string per property.
    private static readonly byte[][] Utf8Names = [.. Names.Select(Encoding.UTF8.GetBytes)];

    /// <summary>Why the token is refused (naming the claim), or null when each of <see cref="Names"/> is absent or one string.</summary>
    public static string? Check(SecurityToken? token)
    {
        if (token is not JsonWebToken jwt)
            return "the token's claims could not be read";
        // The payload is the token's second part; slicing the encoded token spares the copy EncodedPayload makes.
        var encoded = jwt.EncodedToken.AsSpan();
        var first = encoded.IndexOf('.');
        var length = first < 0 ? -1 : encoded[(first + 1)..].IndexOf('.');
        if (length < 0)
            return "the token's claims could not be read";
        var payload = encoded.Slice(first + 1, length);
        var rented = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(payload.Length));
        try
        {
            if (Base64Url.DecodeFromChars(payload, rented, out _, out var written) != OperationStatus.Done)
                return "the token's claims could not be read";
            return Check(rented.AsSpan(0, written));
        }
        catch (JsonException)
        {
            return "the token's claims could not be read";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static string? Check(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return "the token's claims are not a JSON object";
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = IndexOf(ref reader);
            reader.Read();
            if (index >= 0)
            {
                var claim = Names[index];
                if ((seen & (1 << index)) != 0)
                    return $"the token's {claim} claim appears more than once";
                seen |= 1 << index;
                if (reader.TokenType != JsonTokenType.String)
                    return $"the token's {claim} claim must be a string, not {Describe(reader.TokenType)}";
            }
            reader.Skip();
        }
        return null;
    }

    /// <summary>Which of <see cref="Names"/> the property the reader is on names, in any letter case, or -1.</summary>
    private static int IndexOf(ref Utf8JsonReader reader)
    {
        Span<byte> unescaped = stackalloc byte[64];
        scoped ReadOnlySpan<byte> name;
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            // Rare (GitHub escapes nothing in these names): a name longer than any of ours cannot match.
            var encodedLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
            if (encodedLength > 6 * unescaped.Length)
                return -1;
            var text = reader.GetString()!;
            if (Encoding.UTF8.GetByteCount(text) > unescaped.Length)
                return -1;
            name = unescaped[..Encoding.UTF8.GetBytes(text, unescaped)];
        }
        else
        {
            name = reader.ValueSpan;
        }
        for (var i = 0; i < Utf8Names.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(name, Utf8Names[i]))
                return i;
        }
        return -1;
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
