using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>
/// Single-use tokens across a Valkey restart. A Valkey without persistence forgets the token records when it restarts
/// (the documented limit, docs/security.md); the configuration the docs give against it, Valkey with an append-only file,
/// keeps them: after the restart the real web process still answers a retry with the first id and publishes nothing,
/// and refuses the token for another event with 409.
/// </summary>
[Collection(nameof(WebProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class ReplayStoreRestartTests(SharedServers servers)
{
    [Fact]
    public async Task Token_used_before_a_restart_of_a_Valkey_with_persistence_is_still_single_use_after_it()
    {
        var channel = servers.NewChannel("replay-store");
        await using var redis = await RedisServer.StartPersistentAsync();
        var issuer = servers.Issuer;
        var port = FreePort.Next();
        using var web = WebProcess.Start(redis, issuer, channel, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        try
        {
            var readyz = new Uri($"http://127.0.0.1:{port}/readyz");
            await HostProcess.WaitUntilReadyAsync(readyz, web);
            var token = issuer.CreateToken();
            string firstBody;
            await using (var before = await ChannelRecorder.StartAsync(redis.Address, channel))
            {
                using var first = await WebProcess.PostAsync(client, token);
                Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
                firstBody = await first.Content.ReadAsStringAsync();
                await before.NextAsync();
            }

            redis.Stop();
            await redis.StartAgainAsync();
            await HostProcess.WaitUntilReadyAsync(readyz, web);
            await using var recorder = await ChannelRecorder.StartAsync(redis.Address, channel);

            using var again = await PostUntilValkeyAnswersAsync(client, token);
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
            Assert.Equal(firstBody, await again.Content.ReadAsStringAsync());
            using var other = await WebProcess.PostAsync(client, token, """{"image":"ghcr.io/acme/app","tags":["prod"]}""");
            Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
            await recorder.AssertNothingPublishedAsync();
        }
        finally
        {
            web.Stop();
        }
    }

    /// <summary>The first request after the restart may find the web mode still reconnecting (503); it retries as a client would.</summary>
    private static async Task<HttpResponseMessage> PostUntilValkeyAnswersAsync(HttpClient client, string token)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await WebProcess.PostAsync(client, token);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
                return response;
            response.Dispose();
            await Task.Delay(100);
        }
    }
}
