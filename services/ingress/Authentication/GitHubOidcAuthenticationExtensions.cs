using Kuberollouttrigger.Common.Settings;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Kuberollouttrigger.Ingress.Authentication;

public static class GitHubOidcAuthenticationExtensions
{
    public const string PolicyName = "github-actions";

    /// <summary>
    /// JwtBearer against the issuer's discovery document and JWKS: RS256 only, issuer, audience, exp/nbf with the
    /// configured skew, then <c>repository_owner</c>. Keys are cached; a token with an unknown kid makes one synchronous
    /// reload (at most once per <see cref="GitHubOidcOptions.KeyRefreshInterval"/>) and is validated again.
    /// </summary>
    public static IServiceCollection AddGitHubOidcAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<GitHubOidcOptions>(configuration, GitHubOidcOptions.Section)
            .Validate(o => o.KeyRefreshInterval >= TimeSpan.FromSeconds(1), "the key refresh interval must be at least one second")
            .Validate(o => Uri.TryCreate(o.Issuer, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback),
                "GITHUB_OIDC_ISSUER / --github-oidc-issuer must be an https URL (plain http is accepted only for loopback test issuers)");
        services.AddSingleton<GitHubOidcEvents>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<GitHubOidcOptions>, TimeProvider, ILoggerFactory>((jwt, oidcOptions, time, loggers) => Configure(jwt, oidcOptions.Value, time, loggers));
        services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy.RequireAuthenticatedUser().RequireClaim(GitHubClaimNames.RepositoryOwner));
        return services;
    }

    private static void Configure(JwtBearerOptions jwt, GitHubOidcOptions oidc, TimeProvider time, ILoggerFactory loggers)
    {
        var issuer = oidc.Issuer.TrimEnd('/');
        jwt.MapInboundClaims = false;
        jwt.SaveToken = false;
        jwt.IncludeErrorDetails = false;
        jwt.EventsType = typeof(GitHubOidcEvents);
        jwt.Authority = issuer;
        jwt.MetadataAddress = issuer + "/.well-known/openid-configuration";
        jwt.RequireHttpsMetadata = new Uri(issuer).Scheme == Uri.UriSchemeHttps;
        // An unknown kid is handled by KeyRotationTokenHandler: one synchronous, rate-limited reload and a second validation.
        jwt.RefreshOnIssuerKeyNotFound = false;
        jwt.RefreshInterval = oidc.KeyRefreshInterval;
        jwt.AutomaticRefreshInterval = TimeSpan.FromHours(1);
        jwt.BackchannelTimeout = TimeSpan.FromSeconds(10);
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuers = [issuer, issuer + "/"],
            ValidateAudience = true,
            ValidAudience = oidc.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = oidc.ClockSkew,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            NameClaimType = GitHubClaimNames.Repository,
        };

        if (!oidc.DevMode)
        {
            var backchannel = new HttpClient { Timeout = jwt.BackchannelTimeout, MaxResponseContentBufferSize = 1024 * 1024 };
            var documents = new HttpDocumentRetriever(backchannel) { RequireHttps = jwt.RequireHttpsMetadata };
            var manager = new ConfigurationManager<OpenIdConnectConfiguration>(jwt.MetadataAddress, new OpenIdConnectConfigurationRetriever(), documents)
            {
                RefreshInterval = jwt.RefreshInterval,
                AutomaticRefreshInterval = jwt.AutomaticRefreshInterval,
            };
            var keys = new IssuerKeys(manager, cancel => OpenIdConnectConfigurationRetriever.GetAsync(jwt.MetadataAddress, documents, cancel), time,
                TimeSpan.FromSeconds(5), jwt.RefreshInterval, loggers.CreateLogger<IssuerKeys>());
            jwt.ConfigurationManager = keys;
            jwt.TokenHandlers.Clear();
            jwt.TokenHandlers.Add(new KeyRotationTokenHandler(keys) { MapInboundClaims = false });
        }

        if (oidc.DevMode)
        {
            // DEV_MODE: the signature is not checked, so nothing is fetched from the issuer; every other check stays.
            jwt.Configuration = new OpenIdConnectConfiguration { Issuer = issuer };
            jwt.TokenValidationParameters.RequireSignedTokens = false;
            jwt.TokenValidationParameters.ValidateIssuerSigningKey = false;
            jwt.TokenValidationParameters.ValidAlgorithms = null;
            jwt.TokenValidationParameters.SignatureValidator = (token, _) => new JsonWebToken(token);
        }
    }
}
