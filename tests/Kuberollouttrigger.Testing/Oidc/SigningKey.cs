using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Testing.Oidc;

/// <summary>An RSA key pair with a key id, publishable as a JWK.</summary>
public sealed class SigningKey(string kid) : IDisposable
{
    public string Kid { get; } = kid;

    public RSA Rsa { get; } = RSA.Create(2048);

    public JsonObject ToJwk()
    {
        var parameters = Rsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = Kid,
            ["n"] = JwtWriter.Base64Url(parameters.Modulus!),
            ["e"] = JwtWriter.Base64Url(parameters.Exponent!),
        };
    }

    /// <summary>The public key as PEM text: what an attacker would use as an HMAC secret in an algorithm-confusion attack.</summary>
    public byte[] PublicKeyPemBytes() => System.Text.Encoding.ASCII.GetBytes(Rsa.ExportSubjectPublicKeyInfoPem());

    public void Dispose() => Rsa.Dispose();
}
