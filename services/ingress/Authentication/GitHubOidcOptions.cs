using System.ComponentModel.DataAnnotations;

namespace Kuberollouttrigger.Ingress.Authentication;

/// <summary>Which GitHub Actions OIDC tokens the ingress accepts.</summary>
public sealed class GitHubOidcOptions
{
    public const string Section = "GitHubOidc";

    [Required(AllowEmptyStrings = false)]
    public string Issuer { get; set; } = "";

    [Required(AllowEmptyStrings = false)]
    public string Audience { get; set; } = "";

    /// <summary>The only <c>repository_owner</c> accepted, compared case-insensitively.</summary>
    [Required(AllowEmptyStrings = false)]
    public string AllowedOrg { get; set; } = "";

    /// <summary>Development only: token signatures are not verified. Issuer, audience, lifetime and owner still are.</summary>
    public bool DevMode { get; set; }

    /// <summary>Largest clock difference tolerated for exp and nbf.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Oldest token accepted, by its <c>iat</c>; a captured token is useless after this (or its expiry, whichever is first).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan MaxTokenAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Least time between two JWKS refreshes caused by an unknown key id.</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);
}
