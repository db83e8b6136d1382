using System.Diagnostics;
using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Ingress;

/// <summary>Has its own redis-server, because it stops it; in the ingress collection so its events never overlap the metric deltas there.</summary>
[Collection(nameof(IngressCollection))]
public sealed class ValkeyOutageTests(IngressEnvironment env) : IAsyncLifetime
{
    private const string Body = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";

    /// <summary>Short, so that the bound asserted below (five times it) stays short too.</summary>
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(1);

    private readonly OidcIssuer _issuer = env.Issuer;
    private RedisServer _redis = null!;
    private IngressServer _ingress = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var settings = IngressServer.Settings(_redis.Address, "outage", _issuer);
        settings["Valkey:OperationTimeout"] = OperationTimeout.ToString();
        _ingress = await IngressServer.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _ingress.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Valkey_down_gives_503_with_Retry_After_within_the_operation_timeout_and_the_ingress_recovers()
    {
        // A healthy request first: it also measures how slow the machine is now, which the bound below allows for.
        var healthy = Stopwatch.StartNew();
        await using (var recorder = await ChannelRecorder.StartAsync(_redis.Address, "outage"))
        {
            using var before = await Post();
            Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);
        }
        healthy.Stop();

        _redis.Stop();
        var watch = Stopwatch.StartNew();
        using var during = await Post();
        watch.Stop();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), during.Headers.RetryAfter?.Delta);
        // The token's record, the PUBLISH and the delivered mark are one script: it is the one command that fails.
        Assert.Contains("the event could not be handed to Valkey", await during.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(watch.Elapsed < 5 * (OperationTimeout + healthy.Elapsed), $"answered after {watch.Elapsed} (a healthy request took {healthy.Elapsed})");
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
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
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
