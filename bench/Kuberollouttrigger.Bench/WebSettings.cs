using Kuberollouttrigger.Testing.Oidc;

namespace Kuberollouttrigger.Bench;

/// <summary>The web mode's settings every bench that starts it shares: Valkey, the issuer, the org, the listen address and the image's GC.</summary>
internal static class WebSettings
{
    public static Dictionary<string, string?> For(string valkeyAddress, OidcIssuer issuer, int port, string logLevel) => new()
    {
        ["VALKEY_ADDR"] = valkeyAddress,
        ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
        ["GITHUB_OIDC_AUDIENCE"] = OidcIssuer.DefaultAudience,
        ["GITHUB_ALLOWED_ORG"] = "acme",
        ["GITHUB_OIDC_ISSUER"] = issuer.Issuer,
        ["WEB_LISTEN_ADDR"] = $"127.0.0.1:{port}",
        ["LOG_LEVEL"] = logLevel,
        // As the image runs it (Dockerfile).
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_gcConcurrent"] = "0",
    };
}
