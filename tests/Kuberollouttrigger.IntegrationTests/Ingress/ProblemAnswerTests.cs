using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;

namespace Kuberollouttrigger.IntegrationTests.Ingress;

/// <summary>
/// What a CI job reads when the web mode says no: every 401 names the check that failed, in the problem's detail and
/// in WWW-Authenticate's error_description (the caller holds its own token, so naming its claims leaks nothing);
/// routing's 404 and 405 and the budget's 429 are problems with a type and a detail too.
/// </summary>
[Collection(nameof(IngressCollection))]
public sealed class ProblemAnswerTests(IngressEnvironment env)
{
    private const string Body = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";

    public static TheoryData<string, string> RefusedTokens() => new()
    {
        { "no token", "no bearer token: send 'Authorization: Bearer <GitHub Actions OIDC token>'" },
        { "garbage", "the bearer token is not a well-formed JWT" },
        { "alg none", "signature: the token is not signed" },
        { "HS256 signed with the public key", "alg: the token is signed with HS256; only RS256 tokens signed by the issuer are accepted" },
        { "right kid, wrong key", "signature: the token's signature does not verify with the issuer's key 'key-1'" },
        { "unknown kid", "signature: the issuer publishes no key with the token's kid 'unknown-kid'" },
        { "expired", "exp: the token expired at " },
        { "nbf in the future", "nbf: the token is not valid before " },
        { "wrong iss", "iss: the token's issuer 'https://token.actions.githubusercontent.com' is not the issuer this service trusts" },
        { "wrong aud", "aud: the token's audience 'someone-else' is not this service's" },
        { "wrong org", "repository_owner: 'acme-evil' is not the organization this service accepts" },
        { "missing repository_owner", "repository_owner: the token has no repository_owner claim" },
        // The age is counted when the request is checked: a second or two after the token was made on a loaded machine.
        { "too old", "iat: the token was issued 120* s ago, more than MAX_TOKEN_AGE (600 s) allows" },
        { "no jti", "jti: the token has no jti claim" },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Every_401_names_the_failed_check_in_detail_and_WWW_Authenticate(string kind, string reason)
    {
        using var response = await env.PostEventAsync(Token(kind), Body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await ProblemAsync(response);
        var detail = problem["detail"]!.GetValue<string>();
        // '*' in a reason stands for one digit.
        Assert.Matches("^" + Regex.Escape(reason).Replace(@"\*", "[0-9]", StringComparison.Ordinal), detail);
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.2", problem["type"]!.GetValue<string>());
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Equal($"error=\"invalid_token\", error_description=\"{detail.Replace('"', '\'')}\"", challenge.Parameter);
        Assert.DoesNotContain("IDX", detail, StringComparison.Ordinal);
        await env.Recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task A_prefix_refusal_names_the_allowed_prefix()
    {
        using var response = await env.PostEventAsync(env.Issuer.CreateToken(), """{"image":"ghcr.io/other/app","tags":["dev"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("image is not under the allowed image prefix: it must name a repository below ghcr.io/acme/ (such as ghcr.io/acme/app)",
            (await ProblemAsync(response))["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_path_is_a_404_problem_saying_what_is_served()
    {
        using var response = await env.Ingress.Client.GetAsync("/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ProblemAsync(response);
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.5", problem["type"]!.GetValue<string>());
        Assert.Equal("nothing is served at this path: send POST /event, or GET /events/{id} with the id a 202 answered", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem_naming_the_method_to_use()
    {
        using var response = await env.Ingress.Client.GetAsync("/event");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        var problem = await ProblemAsync(response);
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.6", problem["type"]!.GetValue<string>());
        Assert.Equal("GET is not allowed at this path; it takes POST", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_spent_failure_budget_is_a_429_problem_saying_when_to_retry()
    {
        var settings = IngressServer.Settings(env.Redis.Address, "problems-429", env.Issuer);
        settings["Abuse:AuthFailuresPerMinute"] = "1";
        await using var ingress = await IngressServer.StartAsync(settings);
        using (await ingress.Client.PostAsync("/event", new StringContent(Body)))
        {
        }

        using var response = await ingress.Client.PostAsync("/event", new StringContent(Body));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem["type"]!.GetValue<string>());
        Assert.Matches("^too many failed authentication attempts from this address; retry after [0-9]+ s$", problem["detail"]!.GetValue<string>());
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

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
                using var other = new SigningKey("unknown-kid");
                return issuer.CreateToken(other);
            }
            case "expired":
                return issuer.CreateToken(new GitHubTokenClaims { IssuedAt = now.AddMinutes(-20), NotBefore = now.AddMinutes(-20), Expires = now.AddMinutes(-10) });
            case "nbf in the future":
                return issuer.CreateToken(new GitHubTokenClaims { NotBefore = now.AddMinutes(5), Expires = now.AddMinutes(10) });
            case "wrong iss":
                return issuer.CreateToken(new GitHubTokenClaims { Issuer = "https://token.actions.githubusercontent.com" });
            case "wrong aud":
                return issuer.CreateToken(audience: "someone-else");
            case "wrong org":
                return issuer.CreateToken(new GitHubTokenClaims { RepositoryOwner = "acme-evil", Repository = "acme-evil/app" });
            case "missing repository_owner":
                return issuer.CreateToken(new GitHubTokenClaims { RepositoryOwner = null });
            case "too old":
                return issuer.CreateToken(new GitHubTokenClaims { IssuedAt = now.AddMinutes(-20), NotBefore = now.AddMinutes(-20), Expires = now.AddMinutes(10) });
            case "no jti":
            {
                var payload = issuer.Payload();
                payload.Remove("jti");
                return JwtWriter.Rs256(new JsonObject { ["typ"] = "JWT", ["kid"] = issuer.Key.Kid }, payload, issuer.Key.Rsa);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
