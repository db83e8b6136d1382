using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Common.Settings;

namespace Kuberollouttrigger.Ingress.Configuration;

/// <summary>The public names of the web mode's settings; the Go original's plus the ones marked new in docs/configuration.md.</summary>
public static class IngressSettings
{
    public const string DefaultIssuer = "https://token.actions.githubusercontent.com";

    public static readonly Setting AllowedImagePrefix = new("ALLOWED_IMAGE_PREFIX", "allowed-image-prefix", "Ingress:AllowedImagePrefix", "images must start with this repository path", Required: true);
    public static readonly Setting ListenAddr = new("WEB_LISTEN_ADDR", "listen-addr", "Ingress:ListenAddress", "HTTP listen address", Default: ":8080");
    public static readonly Setting Audience = new("GITHUB_OIDC_AUDIENCE", "github-oidc-audience", "GitHubOidc:Audience", "audience the token must carry", Required: true);
    public static readonly Setting AllowedOrg = new("GITHUB_ALLOWED_ORG", "github-allowed-org", "GitHubOidc:AllowedOrg", "repository_owner the token must carry", Required: true);
    public static readonly Setting Issuer = new("GITHUB_OIDC_ISSUER", "github-oidc-issuer", "GitHubOidc:Issuer", "OIDC issuer of the tokens", Default: DefaultIssuer);
    public static readonly Setting DevMode = new("DEV_MODE", "dev-mode", "GitHubOidc:DevMode", "DEVELOPMENT ONLY: skip token signature verification", Default: "false", IsBoolean: true);

    public static readonly Setting MaxTokenAge = new("MAX_TOKEN_AGE", "max-token-age", "GitHubOidc:MaxTokenAge", "tokens issued longer ago (iat) are refused", Default: "10m",
        IsDuration: true, Range: new("10s", "24h"));
    public static readonly Setting AllowNoSubscriber = new("ALLOW_NO_SUBSCRIBER", "allow-no-subscriber", "Ingress:AllowNoSubscriber", "answer 202 even when no worker received the event (accepts silent loss)", Default: "false", IsBoolean: true);
    public static readonly Setting AuthFailuresPerMinute = new("AUTH_FAILURES_PER_MINUTE", "auth-failures-per-minute", "Abuse:AuthFailuresPerMinute", "failed or unauthenticated requests per client address and minute before 429; 0 turns the limit off", Default: "30",
        IsInteger: true, Range: new("0", "1000000"));
    public static readonly Setting EventsPerMinutePerRepository = new("EVENTS_PER_MINUTE_PER_REPOSITORY", "events-per-minute-per-repository", "Abuse:EventsPerMinutePerRepository", "events published per repository and minute before 429; 0 turns the limit off", Default: "60",
        IsInteger: true, Range: new("0", "1000000"));
    public static readonly Setting TrustedProxies = new("TRUSTED_PROXIES", "trusted-proxies", "Abuse:TrustedProxies", "comma-separated proxy addresses or CIDRs whose X-Forwarded-For is believed; empty trusts none", IsList: true);

    public static readonly Setting NoMatchIsSuccess = new("NO_MATCH_IS_SUCCESS", "no-match-is-success", "EventWait:NoMatchIsSuccess", "a waited POST /event answers 200 (not 422) when no workload uses the image", Default: "false", IsBoolean: true);
    public static readonly Setting MaxWaits = new("MAX_WAITS", "max-waits", "EventWait:MaxWaits", "waited POST /event?wait= requests held at once by this process before 503", Default: "500",
        IsInteger: true, Range: new("1", "100000"));
    public static readonly Setting MaxWaitsPerRepository = new("MAX_WAITS_PER_REPOSITORY", "max-waits-per-repository", "EventWait:MaxWaitsPerRepository", "waited requests held at once for one repository before 429", Default: "50",
        IsInteger: true, Range: new("1", "100000"));

    public static IReadOnlyList<Setting> All { get; } =
        [.. CommonSettings.All, AllowedImagePrefix, ListenAddr, Audience, AllowedOrg, Issuer, DevMode, PolicySettings.File, MaxTokenAge, AllowNoSubscriber,
            AuthFailuresPerMinute, EventsPerMinutePerRepository, TrustedProxies, NoMatchIsSuccess, MaxWaits, MaxWaitsPerRepository, .. DeliverySettings.Web];
}
