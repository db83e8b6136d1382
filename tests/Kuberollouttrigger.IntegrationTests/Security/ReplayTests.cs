using System.Net;
using System.Text.Json;
using Kuberollouttrigger.IntegrationTests.Infrastructure;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>A token starts one event: a client retry gets the same id and publishes nothing new; another body is refused.</summary>
[Collection(nameof(IngressCollection))]
public sealed class ReplayTests(PolicyIngressEnvironment fixture) : IClassFixture<PolicyIngressEnvironment>
{
    private const string Body = """{"image":"ghcr.io/acme/app","tags":["dev","v1"]}""";
    private IngressEnvironment Env => fixture.Env;

    [Fact]
    public async Task Same_token_and_body_again_gets_the_same_event_id_and_publishes_once()
    {
        var token = Env.Issuer.CreateToken();

        using var first = await Env.PostEventAsync(token, Body);
        using var retry = await Env.PostEventAsync(token, """{ "image": "ghcr.io/acme/app", "tags": ["dev", "v1", "dev"] }""");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var id = await EventIdAsync(first);
        Assert.Equal(id, await EventIdAsync(retry));
        Assert.Equal(id, Envelope.Parse(await Env.Recorder.NextAsync()).MessageId);
        await Env.Recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Same_token_with_another_body_gets_409_and_publishes_nothing()
    {
        var token = Env.Issuer.CreateToken();
        using var first = await Env.PostEventAsync(token, Body);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await Env.Recorder.NextAsync();

        using var other = await Env.PostEventAsync(token, """{"image":"ghcr.io/acme/app","tags":["prod"]}""");

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Contains("already used for a different event", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Env.Recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Policy_denied_token_is_not_remembered_and_publishes_nothing()
    {
        var token = Env.Issuer.CreateToken(new Kuberollouttrigger.Testing.Oidc.GitHubTokenClaims { Ref = "refs/heads/feature" });

        using var denied = await Env.PostEventAsync(token, Body);
        using var again = await Env.PostEventAsync(token, Body);

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        await Env.Recorder.AssertNothingPublishedAsync();
    }

    private static async Task<Guid> EventIdAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("eventId").GetGuid();
}
