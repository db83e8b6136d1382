using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>
/// The attack: with a Valkey without persistence (the bundled one), a used token was accepted again after Valkey
/// restarted: the same body published the event again, another body got 202. The real web process now refuses every
/// token issued before the store's last start with 409 and publishes nothing; a token issued after it works. Each test
/// starts (and restarts) a redis-server of its own; the issuer is the collection's.
/// </summary>
[Collection(nameof(WebProcessCollection))]
public sealed class ReplayStoreRestartTests(SharedServers servers)
{
    private string Channel { get; } = servers.NewChannel("replay-store");

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Process)]
    public async Task Token_used_before_a_Valkey_restart_is_refused_after_it()
    {
        await using var redis = await RedisServer.StartAsync();
        var issuer = servers.Issuer;
        var port = FreePort.Next();
        using var web = WebProcess.Start(redis, issuer, Channel, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        try
        {
            var readyz = new Uri($"http://127.0.0.1:{port}/readyz");
            await HostProcess.WaitUntilReadyAsync(readyz, web);
            var token = issuer.CreateToken();
            await using (var before = await ChannelRecorder.StartAsync(redis.Address, Channel))
            {
                using (var first = await WebProcess.PostAsync(client, token))
                    Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
                await before.NextAsync();
            }

            redis.Stop();
            await redis.StartAgainAsync();
            await HostProcess.WaitUntilReadyAsync(readyz, web);
            // A recorder of its own after the restart: one that waits to resubscribe may wait out the client's backoff.
            await using var recorder = await ChannelRecorder.StartAsync(redis.Address, Channel);

            using var again = await PostUntilValkeyAnswersAsync(client, token);
            using var other = await WebProcess.PostAsync(client, token, """{"image":"ghcr.io/acme/app","tags":["prod"]}""");

            foreach (var refused in new[] { again, other })
            {
                var text = await refused.Content.ReadAsStringAsync();
                Assert.True(refused.StatusCode == HttpStatusCode.Conflict, $"{(int)refused.StatusCode} {text}");
                Assert.Contains("issued before the token store in Valkey last started", text, StringComparison.Ordinal);
            }
            await recorder.AssertNothingPublishedAsync();

            // A token issued after the restart is accepted: the store remembers it from here on. (Valkey's start is known to
            // the second, so the token is issued a few seconds later, as it is when a CI job asks for one after a restart.)
            var now = DateTimeOffset.UtcNow.AddSeconds(3);
            var fresh = issuer.CreateToken(new GitHubTokenClaims { IssuedAt = now, NotBefore = now.AddSeconds(-5) });
            using (var accepted = await WebProcess.PostAsync(client, fresh))
                Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            await recorder.NextAsync();
            using (var retry = await WebProcess.PostAsync(client, fresh))
                Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
            await recorder.AssertNothingPublishedAsync();
            Assert.Contains("The token store in Valkey starts at", web.Output, StringComparison.Ordinal);
        }
        finally
        {
            web.Stop();
        }
    }

    [Fact]
    public async Task Empty_Valkey_refuses_tokens_signed_before_it_started_and_remembers_those_after()
    {
        var issuer = servers.Issuer;
        var before = issuer.CreateToken();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await using var redis = await RedisServer.StartAsync(asLongRunning: false);
        await using var recorder = await ChannelRecorder.StartAsync(redis.Address, Channel);
        await using var ingress = await IngressServer.StartAsync(IngressServer.Settings(redis.Address, Channel, issuer));

        using (var refused = await WebProcess.PostAsync(ingress.Client, before))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("request a new token", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        await recorder.AssertNothingPublishedAsync();
        var now = DateTimeOffset.UtcNow.AddSeconds(3);
        using (var accepted = await WebProcess.PostAsync(ingress.Client, issuer.CreateToken(new GitHubTokenClaims { IssuedAt = now, NotBefore = now.AddSeconds(-5) })))
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await recorder.NextAsync();
        await using var valkey = await redis.ConnectAsync();
        var started = (long)await valkey.GetDatabase().StringGetAsync(RedisServer.TokenStoreStartedKey);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - started, 0, 120);
    }

    [Theory]
    [InlineData("not a number")]
    [InlineData("-5")]
    [InlineData("1e9")]
    [InlineData("")]
    public async Task Garbage_in_the_start_record_is_recorded_anew_from_Valkey_itself(string garbage)
    {
        var issuer = servers.Issuer;
        await using var redis = await RedisServer.StartAsync(asLongRunning: false);
        await using var valkey = await redis.ConnectAsync();
        await valkey.GetDatabase().StringSetAsync(RedisServer.TokenStoreStartedKey, garbage);
        await using var recorder = await ChannelRecorder.StartAsync(redis.Address, Channel);
        await using var ingress = await IngressServer.StartAsync(IngressServer.Settings(redis.Address, Channel, issuer));
        var now = DateTimeOffset.UtcNow.AddSeconds(3);

        using var accepted = await WebProcess.PostAsync(ingress.Client, issuer.CreateToken(new GitHubTokenClaims { IssuedAt = now, NotBefore = now.AddSeconds(-5) }));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await recorder.NextAsync();
        var started = (long)await valkey.GetDatabase().StringGetAsync(RedisServer.TokenStoreStartedKey);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - started, 0, 120);
    }

    /// <summary>The first request after the restart may find the web mode still reconnecting (502); it retries as a client would.</summary>
    private static async Task<HttpResponseMessage> PostUntilValkeyAnswersAsync(HttpClient client, string token, string body = WebProcess.AppBody)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await WebProcess.PostAsync(client, token, body);
            if (response.StatusCode != HttpStatusCode.BadGateway || DateTime.UtcNow > deadline)
                return response;
            response.Dispose();
            await Task.Delay(100);
        }
    }
}
