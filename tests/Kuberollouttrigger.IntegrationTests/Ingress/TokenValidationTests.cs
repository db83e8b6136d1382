using System.Net;
using System.Text.Json.Nodes;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;

namespace Kuberollouttrigger.IntegrationTests.Ingress;

[Collection(nameof(IngressCollection))]
public sealed class TokenValidationTests(IngressEnvironment env)
{
    private const string Body = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";

    public static TheoryData<string> RejectedTokens() =>
    [
        "no token",
        "garbage",
        "alg none",
        "HS256 signed with the public key",
        "right kid, wrong key",
        "unknown kid",
        "expired",
        "expired beyond skew",
        "nbf in the future",
        "wrong iss",
        "wrong aud",
        "wrong org",
        "missing repository_owner",
    ];

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task Rejected_token_gets_401_with_a_minimal_body_and_publishes_nothing(string kind)
    {
        var token = Token(kind);

        using var response = await env.PostEventAsync(token, Body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length < 400, text);
        Assert.DoesNotContain("IDX", text, StringComparison.Ordinal);
        await env.Recorder.AssertNothingPublishedAsync();
    }

    [Theory]
    [InlineData("valid")]
    [InlineData("aud array containing ours")]
    [InlineData("org differing only in case")]
    [InlineData("expired within skew")]
    public async Task Accepted_token_publishes_the_event(string kind)
    {
        using var response = await env.PostEventAsync(Token(kind), Body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var envelope = Envelope.Parse(await env.Recorder.NextAsync());
        Assert.Equal("ghcr.io/acme/app", envelope.Message.GetProperty("image").GetString());
    }

    [Fact]
    public async Task Keys_are_cached_not_fetched_per_request()
    {
        using (await env.PostEventAsync(env.Issuer.CreateToken(), Body))
            await env.Recorder.NextAsync();
        var before = env.Issuer.JwksFetches;

        for (var i = 0; i < 5; i++)
        {
            using var response = await env.PostEventAsync(env.Issuer.CreateToken(), Body);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await env.Recorder.NextAsync();
        }

        Assert.Equal(before, env.Issuer.JwksFetches);
    }

    [Fact]
    public async Task Unknown_kid_refreshes_keys_at_most_once_per_interval()
    {
        using var stranger = new SigningKey("never-published-" + Guid.NewGuid());
        using (await env.PostEventAsync(env.Issuer.CreateToken(stranger), Body))
        {
        }
        var afterFirst = env.Issuer.JwksFetches;

        for (var i = 0; i < 5; i++)
        {
            using var response = await env.PostEventAsync(env.Issuer.CreateToken(stranger), Body);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(afterFirst, env.Issuer.JwksFetches);
        await env.Recorder.AssertNothingPublishedAsync();
    }

    private string? Token(string kind)
    {
        var issuer = env.Issuer;
        var now = DateTimeOffset.UtcNow;
        switch (kind)
        {
            case "no token":
                return null;
            case "garbage":
                return "not.a.jwt";
            case "valid":
                return issuer.CreateToken();
            case "alg none":
                return JwtWriter.AlgNone(new JsonObject { ["typ"] = "JWT", ["kid"] = issuer.Key.Kid }, issuer.Payload());
            case "HS256 signed with the public key":
                return JwtWriter.Hs256(new JsonObject { ["typ"] = "JWT", ["kid"] = issuer.Key.Kid }, issuer.Payload(), issuer.Key.PublicKeyPemBytes());
            case "right kid, wrong key":
            {
                using var other = new SigningKey("other");
                return issuer.CreateToken(other, kid: issuer.Key.Kid);
            }
            case "unknown kid":
            {
                using var other = new SigningKey("unknown-" + Guid.NewGuid());
                return issuer.CreateToken(other);
            }
            case "expired":
                return issuer.CreateToken(new GitHubTokenClaims { IssuedAt = now.AddMinutes(-20), NotBefore = now.AddMinutes(-20), Expires = now.AddMinutes(-10) });
            case "expired beyond skew":
                return issuer.CreateToken(new GitHubTokenClaims { IssuedAt = now.AddMinutes(-5), NotBefore = now.AddMinutes(-5), Expires = now.AddSeconds(-75) });
            case "expired within skew":
                return issuer.CreateToken(new GitHubTokenClaims { IssuedAt = now.AddMinutes(-5), NotBefore = now.AddMinutes(-5), Expires = now.AddSeconds(-20) });
            case "nbf in the future":
                return issuer.CreateToken(new GitHubTokenClaims { NotBefore = now.AddMinutes(5), Expires = now.AddMinutes(10) });
            case "wrong iss":
                return issuer.CreateToken(new GitHubTokenClaims { Issuer = "https://token.actions.githubusercontent.com" });
            case "wrong aud":
                return issuer.CreateToken(audience: "someone-else");
            case "aud array containing ours":
                return issuer.CreateToken(new GitHubTokenClaims { Audience = new JsonArray("someone-else", OidcIssuer.DefaultAudience) });
            case "wrong org":
                return issuer.CreateToken(new GitHubTokenClaims { RepositoryOwner = "acme-evil", Repository = "acme-evil/app" });
            case "org differing only in case":
                return issuer.CreateToken(new GitHubTokenClaims { RepositoryOwner = "ACME" });
            case "missing repository_owner":
                return issuer.CreateToken(new GitHubTokenClaims { RepositoryOwner = null });
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
