using System.Net;
using System.Text.Json;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>PubSub drops an event nobody listens to, so the web mode says so (503) instead of 202, unless told to accept the loss.</summary>
[Collection(nameof(IngressCollection))]
public sealed class NoSubscriberTests(IngressEnvironment env)
{
    private const string Body = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";
    private string Channel { get; } = env.Servers.NewChannel("no-subscriber");
    private readonly RedisServer _redis = env.Redis;
    private readonly OidcIssuer _issuer = env.Issuer;

    [Fact]
    public async Task No_subscriber_gets_503_with_Retry_After_and_the_retry_publishes_once_when_a_worker_listens()
    {
        await using var ingress = await IngressServer.StartAsync(IngressServer.Settings(_redis.Address, Channel, _issuer));
        var token = _issuer.CreateToken();

        using var unheard = await Post(ingress, token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unheard.StatusCode);
        Assert.Equal("5", unheard.Headers.GetValues("Retry-After").Single());
        Assert.Contains("no worker is subscribed", await unheard.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var recorder = await ChannelRecorder.StartAsync(_redis.Address, Channel);
        using var retry = await Post(ingress, token);
        using var again = await Post(ingress, token);

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var id = await EventIdAsync(retry);
        Assert.Equal(id, await EventIdAsync(again));
        Assert.Equal(id, Envelope.Parse(await recorder.NextAsync()).MessageId);
        await recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Allow_no_subscriber_answers_202_as_the_Go_original_does()
    {
        var settings = IngressServer.Settings(_redis.Address, Channel, _issuer);
        settings["Ingress:AllowNoSubscriber"] = "true";
        await using var ingress = await IngressServer.StartAsync(settings);

        using var response = await Post(ingress, _issuer.CreateToken());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static Task<HttpResponseMessage> Post(IngressServer ingress, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", token);
        return ingress.Client.SendAsync(request);
    }

    private static async Task<Guid> EventIdAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("eventId").GetGuid();
}
