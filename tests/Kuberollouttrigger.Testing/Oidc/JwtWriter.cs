using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Testing.Oidc;

/// <summary>Writes compact JWTs by hand, so tests can also produce the malformed and hostile ones a library refuses to make.</summary>
public static class JwtWriter
{
    public static string Rs256(JsonObject header, JsonObject payload, RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        header["alg"] = "RS256";
        var signingInput = SigningInput(header, payload);
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>Signs <paramref name="payloadJson"/> exactly as given: duplicate keys and odd spellings included.</summary>
    public static string Rs256(JsonObject header, string payloadJson, RSA key)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(payloadJson);
        ArgumentNullException.ThrowIfNull(key);
        header["alg"] = "RS256";
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString(JsonSerializerOptions.Default))) + "." + Base64Url(Encoding.UTF8.GetBytes(payloadJson));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    public static string Hs256(JsonObject header, JsonObject payload, byte[] secret)
    {
        header["alg"] = "HS256";
        var signingInput = SigningInput(header, payload);
        var signature = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url(signature);
    }

    public static string AlgNone(JsonObject header, JsonObject payload)
    {
        header["alg"] = "none";
        return SigningInput(header, payload) + ".";
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string SigningInput(JsonObject header, JsonObject payload) =>
        Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString(JsonSerializerOptions.Default))) + "." +
        Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString(JsonSerializerOptions.Default)));
}
