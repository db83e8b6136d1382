using System.Diagnostics;
using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Ingress;

/// <summary>Has its own redis-server, because it stops it; in the ingress collection so its events never overlap the metric deltas there.</summary>
[Collection(nameof(IngressCollection))]
public sealed class ValkeyOutageTests : IAsyncLifetime
{
    private const string Body = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";
    private RedisServer _redis = null!;
    private OidcIssuer _issuer = null!;
    private IngressServer _ingress = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _issuer = await OidcIssuer.StartAsync();
        _ingress = await IngressServer.StartAsync(IngressServer.Settings(_redis.Address, "outage", _issuer));
    }

    public async Task DisposeAsync()
    {
        await _ingress.DisposeAsync();
        await _issuer.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Valkey_down_gives_502_within_3_seconds_and_the_ingress_recovers()
    {
        await using (var recorder = await ChannelRecorder.StartAsync(_redis.Address, "outage"))
        {
            using var before = await Post();
            Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);
        }

        _redis.Stop();
        var watch = Stopwatch.StartNew();
        using var during = await Post();
        watch.Stop();
        Assert.Equal(HttpStatusCode.BadGateway, during.StatusCode);
        // The token's record, the PUBLISH and the delivered mark are one script: it is the one command that fails.
        Assert.Contains("the event could not be handed to Valkey", await during.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"answered after {watch.Elapsed}");
        using var notReady = await _ingress.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);

        await _redis.StartAgainAsync();
        await using var after = await ChannelRecorder.StartAsync(_redis.Address, "outage");
        var status = await RetryUntilAcceptedAsync();
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("ghcr.io/acme/app", Envelope.Parse(await after.NextAsync()).Message.GetProperty("image").GetString());
    }

    private async Task<HttpStatusCode> RetryUntilAcceptedAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var response = await Post();
            if (response.StatusCode == HttpStatusCode.Accepted || DateTime.UtcNow > deadline)
                return response.StatusCode;
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            await Task.Delay(200);
        }
    }

    private Task<HttpResponseMessage> Post()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", _issuer.CreateToken());
        return _ingress.Client.SendAsync(request);
    }
}
