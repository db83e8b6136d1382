using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;

namespace Kuberollouttrigger.IntegrationTests.Ingress;

/// <summary>An issuer outage is not the caller's fault: 503 with Retry-After, nothing published, recovery after.</summary>
[Collection(nameof(IngressCollection))]
public sealed class IssuerOutageTests(IngressEnvironment env)
{
    private const string Body = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";

    [Fact]
    public async Task Issuer_keys_unreachable_gives_503_with_Retry_After_and_publishes_nothing()
    {
        // An issuer of its own, since it takes it down; the collection's redis-server on a channel of its own.
        await using var issuer = await OidcIssuer.StartAsync();
        var channel = env.Servers.NewChannel("issuer-outage");
        await using var recorder = await ChannelRecorder.StartAsync(env.Redis.Address, channel);
        var settings = IngressServer.Settings(env.Redis.Address, channel, issuer);
        await using var ingress = await IngressServer.StartAsync(settings);
        issuer.Unavailable = true;

        using var during = await PostAsync(ingress, issuer);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.NotNull(during.Headers.RetryAfter);
        await recorder.AssertNothingPublishedAsync();

        issuer.Unavailable = false;
        await Wait.UntilAsync(async () =>
        {
            using var after = await PostAsync(ingress, issuer);
            return after.StatusCode == HttpStatusCode.Accepted;
        }, TimeSpan.FromSeconds(60), "the ingress to accept once the issuer is back");
        Assert.Equal("ghcr.io/acme/app", Envelope.Parse(await recorder.NextAsync()).Message.GetProperty("image").GetString());
    }

    private static Task<HttpResponseMessage> PostAsync(IngressServer ingress, OidcIssuer issuer)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", issuer.CreateToken());
        return ingress.Client.SendAsync(request);
    }
}
