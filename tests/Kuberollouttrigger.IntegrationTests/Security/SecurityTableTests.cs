using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>
/// Each row: a request against the real web mode with a policy file, and both what it answered and what crossed the
/// channel (exactly one message with the returned id, or nothing).
/// </summary>
[Collection(nameof(IngressCollection))]
public sealed class SecurityTableTests(PolicyIngressEnvironment fixture) : IClassFixture<PolicyIngressEnvironment>
{
    private const string AppBody = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";
    private const string ReleaseWorkflow = "acme/deploy/.github/workflows/release.yml@refs/heads/main";
    private IngressEnvironment Env => fixture.Env;

    public static TheoryData<string, HttpStatusCode, string?> Rows() => new()
    {
        { "own image from main", HttpStatusCode.Accepted, null },
        { "own image from a release tag", HttpStatusCode.Accepted, null },
        { "glob repository, own image", HttpStatusCode.Accepted, null },
        { "repository not in the policy", HttpStatusCode.Forbidden, "repository not allowed by policy" },
        { "owner id of a re-registered org", HttpStatusCode.Forbidden, "repository_owner_id not allowed by policy" },
        { "another repository's image", HttpStatusCode.Forbidden, "image not allowed by policy" },
        { "feature branch", HttpStatusCode.Forbidden, "ref not allowed by policy" },
        { "deploy repository, production, release workflow", HttpStatusCode.Accepted, null },
        { "deploy repository without environment", HttpStatusCode.Forbidden, "environment not allowed by policy" },
        { "deploy repository, staging", HttpStatusCode.Forbidden, "environment not allowed by policy" },
        { "deploy repository, another workflow", HttpStatusCode.Forbidden, "job_workflow_ref not allowed by policy" },
        { "deploy repository re-created under the same name", HttpStatusCode.Forbidden, "repository_id not allowed by policy" },
        { "token older than the maximum age", HttpStatusCode.Unauthorized, null },
        { "token without jti", HttpStatusCode.Unauthorized, null },
        { "body over 1 MiB", HttpStatusCode.RequestEntityTooLarge, null },
        { "malformed body", HttpStatusCode.BadRequest, "not valid JSON" },
        { "not JSON", HttpStatusCode.UnsupportedMediaType, null },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Request_gets_its_status_and_publishes_exactly_what_it_should(string row, HttpStatusCode expected, string? reason)
    {
        var (token, body, contentType) = Request(row);

        using var response = await Env.PostEventAsync(token, body, contentType);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{row}: {(int)response.StatusCode} {text}");
        if (reason is not null)
            Assert.Contains(reason, text, StringComparison.Ordinal);
        if (expected == HttpStatusCode.Accepted)
        {
            var eventId = JsonDocument.Parse(text).RootElement.GetProperty("eventId").GetGuid();
            Assert.Equal(eventId, Envelope.Parse(await Env.Recorder.NextAsync()).MessageId);
        }
        else
        {
            Assert.DoesNotContain("rules", text, StringComparison.Ordinal);
            Assert.DoesNotContain("acme/deploy", text, StringComparison.Ordinal);
        }
        await Env.Recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Headers_over_32_KiB_get_431_and_publish_nothing()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(AppBody, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", Env.Issuer.CreateToken());
        request.Headers.Add("X-Padding", new string('a', 40 * 1024));

        using var response = await Env.Ingress.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        await Env.Recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Accepted_event_carries_the_claims_the_policy_used()
    {
        var token = Env.Issuer.CreateToken(new GitHubTokenClaims { Repository = "acme/deploy", Environment = "production", JobWorkflowRef = ReleaseWorkflow });

        using var response = await Env.PostEventAsync(token, """{"image":"ghcr.io/acme/team/api","tags":["v1"]}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trigger = Envelope.Parse(await Env.Recorder.NextAsync()).Message.GetProperty("triggeredBy");
        Assert.Equal("2000002", trigger.GetProperty("repositoryId").GetString());
        Assert.Equal("1000001", trigger.GetProperty("repositoryOwnerId").GetString());
        Assert.Equal("production", trigger.GetProperty("environment").GetString());
        Assert.Equal(ReleaseWorkflow, trigger.GetProperty("jobWorkflowRef").GetString());
    }

    private (string? Token, string Body, string ContentType) Request(string row)
    {
        var issuer = Env.Issuer;
        var now = DateTimeOffset.UtcNow;
        string Token(GitHubTokenClaims claims) => issuer.CreateToken(claims);
        var deploy = new GitHubTokenClaims { Repository = "acme/deploy", Environment = "production", JobWorkflowRef = ReleaseWorkflow };
        const string anyImage = """{"image":"ghcr.io/acme/team/api","tags":["v1"]}""";
        return row switch
        {
            "own image from main" => (Token(new()), AppBody, "application/json"),
            "own image from a release tag" => (Token(new() { Ref = "refs/tags/v1.4.0" }), AppBody, "application/json"),
            "glob repository, own image" => (Token(new() { Repository = "acme/svc-billing" }), """{"image":"ghcr.io/acme/svc-billing","tags":["dev"]}""", "application/json"),
            "repository not in the policy" => (Token(new() { Repository = "acme/other" }), """{"image":"ghcr.io/acme/other","tags":["dev"]}""", "application/json"),
            "owner id of a re-registered org" => (Token(new() { RepositoryOwnerId = "9999999" }), AppBody, "application/json"),
            "another repository's image" => (Token(new()), """{"image":"ghcr.io/acme/svc-billing","tags":["dev"]}""", "application/json"),
            "feature branch" => (Token(new() { Ref = "refs/heads/feature" }), AppBody, "application/json"),
            "deploy repository, production, release workflow" => (Token(deploy), anyImage, "application/json"),
            "deploy repository without environment" => (Token(deploy with { Environment = null }), anyImage, "application/json"),
            "deploy repository, staging" => (Token(deploy with { Environment = "staging" }), anyImage, "application/json"),
            "deploy repository, another workflow" => (Token(deploy with { JobWorkflowRef = "acme/deploy/.github/workflows/other.yml@refs/heads/main" }), anyImage, "application/json"),
            "deploy repository re-created under the same name" => (Token(deploy with { RepositoryId = "3000003" }), anyImage, "application/json"),
            "token older than the maximum age" => (Token(new() { IssuedAt = now.AddMinutes(-11), NotBefore = now.AddMinutes(-11) }), AppBody, "application/json"),
            "token without jti" => (WithoutJti(), AppBody, "application/json"),
            "body over 1 MiB" => (Token(new()), AppBody + new string(' ', 1024 * 1024), "application/json"),
            "malformed body" => (Token(new()), """{"image":"ghcr.io/acme/app","tags":["dev"]""", "application/json"),
            "not JSON" => (Token(new()), AppBody, "text/plain"),
            _ => throw new ArgumentOutOfRangeException(nameof(row), row, null),
        };
    }

    private string WithoutJti()
    {
        var payload = Env.Issuer.Payload();
        payload.Remove("jti");
        return JwtWriter.Rs256(new JsonObject { ["typ"] = "JWT", ["kid"] = Env.Issuer.Key.Kid }, payload, Env.Issuer.Key.Rsa);
    }
}
