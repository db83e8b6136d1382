using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Ingress;

/// <summary>An issuer outage is not the caller's fault: 503 with Retry-After, nothing published, recovery after.</summary>
[Collection(nameof(IngressCollection))]
public sealed class IssuerOutageTests
{
    private const string Body = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";

    [Fact]
    public async Task Issuer_keys_unreachable_gives_503_with_Retry_After_and_publishes_nothing()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var issuer = await OidcIssuer.StartAsync();
        await using var recorder = await ChannelRecorder.StartAsync(redis.Address, "issuer-outage");
        var settings = IngressServer.Settings(redis.Address, "issuer-outage", issuer);
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
        }, TimeSpan.FromSeconds(20), "the ingress to accept once the issuer is back");
        Assert.Equal("ghcr.io/acme/app", Envelope.Parse(await recorder.NextAsync()).Message.GetProperty("image").GetString());
    }

    private static Task<HttpResponseMessage> PostAsync(IngressServer ingress, OidcIssuer issuer)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", issuer.CreateToken());
        return ingress.Client.SendAsync(request);
    }
}
