using System.Net;
using System.Text.Json.Nodes;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>
/// The attack: a correctly signed token whose <c>repository_owner</c>, <c>repository</c>, <c>ref</c>, ids,
/// <c>environment</c> or <c>job_workflow_ref</c> is an array (or a number, an object, or given twice) was accepted,
/// its first element used. The web mode (production composition) now answers 401 naming the claim and publishes nothing.
/// </summary>
[Collection(nameof(IngressCollection))]
public sealed class ClaimTypeTests(IngressEnvironment env)
{
    private const string Body = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";

    public static TheoryData<string, string> NotStrings()
    {
        var rows = new TheoryData<string, string>();
        foreach (var claim in new[] { "repository_owner", "repository", "ref", "repository_id", "repository_owner_id", "environment", "job_workflow_ref" })
        {
            foreach (var value in new[] { "array of one", "array of two", "empty array", "number", "object", "null", "boolean" })
                rows.Add(claim, value);
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(NotStrings))]
    public async Task Token_whose_claim_is_not_a_string_gets_401_naming_the_claim_and_publishes_nothing(string claim, string value)
    {
        var payload = env.Issuer.Payload(new GitHubTokenClaims { Environment = "production" });
        var original = payload[claim]!.GetValue<string>();
        payload[claim] = value switch
        {
            "array of one" => new JsonArray(original),
            "array of two" => new JsonArray(original, "acme/other"),
            "empty array" => new JsonArray(),
            "number" => 2000002,
            "object" => new JsonObject { ["value"] = original },
            "null" => null,
            "boolean" => true,
            _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
        };

        await AssertRefusedAsync(Sign(payload.ToJsonString()), claim);
    }

    [Theory]
    [InlineData("repository", "repository")]
    [InlineData("repository", "Repository")]
    [InlineData("repository_owner", "REPOSITORY_OWNER")]
    [InlineData("ref", "ref")]
    [InlineData("repository_id", "repository_id")]
    public async Task Token_that_gives_a_claim_twice_gets_401_naming_the_claim(string claim, string again)
    {
        var json = env.Issuer.Payload().ToJsonString();
        var twice = json[..^1] + $$""","{{again}}":"acme-evil"}""";

        await AssertRefusedAsync(Sign(twice), claim);
    }

    [Fact]
    public async Task Token_with_an_escaped_claim_name_is_read_as_that_claim()
    {
        // "repo\u0073itory" is "repository" once unescaped; a check on the raw bytes would miss the array.
        var json = env.Issuer.Payload().ToJsonString().Replace("\"repository\":\"acme/app\"", "\"repo\\u0073itory\":[\"acme/app\"]", StringComparison.Ordinal);
        Assert.Contains("\\u0073", json, StringComparison.Ordinal);

        await AssertRefusedAsync(Sign(json), "repository");
    }

    [Fact]
    public async Task Other_claims_may_have_other_types_and_the_token_is_accepted()
    {
        var payload = env.Issuer.Payload();
        payload["run_number"] = 7;
        payload["custom"] = new JsonArray(1, 2);

        using var response = await env.PostEventAsync(Sign(payload.ToJsonString()), Body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("acme/app", Envelope.Parse(await env.Recorder.NextAsync()).Message.GetProperty("triggeredBy").GetProperty("repository").GetString());
    }

    [Fact]
    public async Task Status_endpoint_refuses_such_a_token_too()
    {
        var payload = env.Issuer.Payload();
        payload["repository"] = new JsonArray("acme/app");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/events/{Guid.NewGuid()}");
        request.Headers.Authorization = new("Bearer", Sign(payload.ToJsonString()));

        using var response = await env.Ingress.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("repository claim", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private string Sign(string payloadJson) =>
        JwtWriter.Rs256(new JsonObject { ["typ"] = "JWT", ["kid"] = env.Issuer.Key.Kid }, payloadJson, env.Issuer.Key.Rsa);

    private async Task AssertRefusedAsync(string token, string claim)
    {
        using var response = await env.PostEventAsync(token, Body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{(int)response.StatusCode} {text}");
        Assert.Contains($"the token's {claim} claim", text, StringComparison.Ordinal);
        Assert.DoesNotContain("IDX", text, StringComparison.Ordinal);
        await env.Recorder.AssertNothingPublishedAsync();
    }
}
