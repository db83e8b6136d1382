using System.Text.Json.Nodes;
using Kuberollouttrigger.Testing.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuberollouttrigger.Testing.Oidc;

/// <summary>
/// A GitHub-like OIDC issuer over real HTTP on loopback: discovery document, JWKS, and RS256 tokens shaped like
/// GitHub Actions tokens. Counts JWKS fetches so tests can prove keys are cached.
/// </summary>
public sealed class OidcIssuer : IAsyncDisposable
{
    public const string DefaultAudience = "kuberollouttrigger-test";

    private readonly WebApplication _app;
    private readonly List<SigningKey> _published = [];
    private readonly List<SigningKey> _retired = [];
    private readonly Lock _gate = new();
    private int _jwksFetches;
    private TaskCompletionSource _keysReleased = CompletedSource();

    private OidcIssuer(WebApplication app, SigningKey key)
    {
        _app = app;
        Key = key;
        _published.Add(key);
    }

    /// <summary>The key tokens are signed with by default; published in the JWKS.</summary>
    public SigningKey Key { get; }

    public string Issuer { get; private set; } = "";

    public int JwksFetches => Volatile.Read(ref _jwksFetches);

    /// <summary>When true, the issuer answers 503 to discovery and JWKS requests.</summary>
    public bool Unavailable { get; set; }

    /// <summary>JWKS requests wait (unanswered) until <see cref="ReleaseKeys"/>: a slow issuer.</summary>
    public void HoldKeys()
    {
        lock (_gate)
            _keysReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void ReleaseKeys()
    {
        lock (_gate)
            _keysReleased.TrySetResult();
    }

    /// <param name="listen">Loopback over HTTP when null; see <see cref="ListenOn"/>.</param>
    public static async Task<OidcIssuer> StartAsync(ListenOn? listen = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel((listen ?? ListenOn.Loopback).Apply);
        var app = builder.Build();
        var issuer = new OidcIssuer(app, new SigningKey("key-1"));
        app.MapGet("/.well-known/openid-configuration", issuer.Discovery);
        app.MapGet("/.well-known/jwks", issuer.Jwks);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer.Issuer = address.TrimEnd('/');
        return issuer;
    }

    /// <summary>Rotates the signing key: the JWKS publishes only <paramref name="next"/> from now on, as GitHub does after a rotation.</summary>
    public void Rotate(SigningKey next)
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (_gate)
        {
            _published.Remove(Key);
            _published.Add(next);
            _retired.Add(Key);
        }
    }

    /// <summary>Publishes another key in the JWKS (a key rotation).</summary>
    public void Publish(SigningKey key)
    {
        lock (_gate)
            _published.Add(key);
    }

    public string CreateToken(GitHubTokenClaims? claims = null, string audience = DefaultAudience) =>
        CreateToken(Key, claims, audience);

    public string CreateToken(SigningKey signWith, GitHubTokenClaims? claims = null, string audience = DefaultAudience, string? kid = null)
    {
        ArgumentNullException.ThrowIfNull(signWith);
        var header = new JsonObject { ["typ"] = "JWT", ["kid"] = kid ?? signWith.Kid, ["x5t"] = "test" };
        return JwtWriter.Rs256(header, (claims ?? new GitHubTokenClaims()).ToPayload(Issuer, audience), signWith.Rsa);
    }

    public JsonObject Payload(GitHubTokenClaims? claims = null, string audience = DefaultAudience) =>
        (claims ?? new GitHubTokenClaims()).ToPayload(Issuer, audience);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        lock (_gate)
        {
            foreach (var key in _published.Concat(_retired))
                key.Dispose();
        }
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }

    private IResult Discovery()
    {
        if (Unavailable)
            return Results.StatusCode(503);
        return Results.Json(new JsonObject
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = Issuer + "/.well-known/jwks",
            ["subject_types_supported"] = new JsonArray("public", "pairwise"),
            ["response_types_supported"] = new JsonArray("id_token"),
            ["claims_supported"] = new JsonArray("sub", "aud", "exp", "iat", "iss", "jti", "nbf", "ref", "repository", "repository_id", "repository_owner", "repository_owner_id", "run_id", "sha", "workflow", "actor"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["scopes_supported"] = new JsonArray("openid"),
        });
    }

    private async Task<IResult> Jwks()
    {
        Task released;
        lock (_gate)
            released = _keysReleased.Task;
        await released;
        if (Unavailable)
            return Results.StatusCode(503);
        Interlocked.Increment(ref _jwksFetches);
        var keys = new JsonArray();
        lock (_gate)
        {
            foreach (var key in _published)
                keys.Add(key.ToJwk());
        }
        return Results.Json(new JsonObject { ["keys"] = keys });
    }
}
