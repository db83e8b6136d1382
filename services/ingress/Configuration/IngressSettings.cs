using Kuberollouttrigger.Common.Settings;

namespace Kuberollouttrigger.Ingress.Configuration;

/// <summary>The public names of the web mode's settings; the Go original's plus GITHUB_OIDC_ISSUER.</summary>
public static class IngressSettings
{
    public const string DefaultIssuer = "https://token.actions.githubusercontent.com";

    public static readonly Setting AllowedImagePrefix = new("ALLOWED_IMAGE_PREFIX", "allowed-image-prefix", "Ingress:AllowedImagePrefix", "images must start with this repository path", Required: true);
    public static readonly Setting ListenAddr = new("WEB_LISTEN_ADDR", "listen-addr", "Ingress:ListenAddress", "HTTP listen address", Default: ":8080");
    public static readonly Setting Audience = new("GITHUB_OIDC_AUDIENCE", "github-oidc-audience", "GitHubOidc:Audience", "audience the token must carry", Required: true);
    public static readonly Setting AllowedOrg = new("GITHUB_ALLOWED_ORG", "github-allowed-org", "GitHubOidc:AllowedOrg", "repository_owner the token must carry", Required: true);
    public static readonly Setting Issuer = new("GITHUB_OIDC_ISSUER", "github-oidc-issuer", "GitHubOidc:Issuer", "OIDC issuer of the tokens", Default: DefaultIssuer);
    public static readonly Setting DevMode = new("DEV_MODE", "dev-mode", "GitHubOidc:DevMode", "DEVELOPMENT ONLY: skip token signature verification", Default: "false", IsBoolean: true);

    public static IReadOnlyList<Setting> All { get; } = [.. CommonSettings.All, AllowedImagePrefix, ListenAddr, Audience, AllowedOrg, Issuer, DevMode, .. DeliverySettings.Web];
}
