using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>
/// The attack: one valid token held thousands of concurrent <c>?wait=</c> requests (a retry of an accepted event spends
/// no event budget) until the real web process died of OutOfMemory. Now a repository holds at most
/// MAX_WAITS_PER_REPOSITORY waits (then 429) and the process MAX_WAITS (then 503), both with Retry-After, and a refused
/// request publishes nothing.
/// </summary>
[Collection(nameof(WebProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class WaitLimitTests(SharedServers servers)
{
    [Fact]
    public async Task One_token_cannot_hold_more_than_its_repositorys_waits_nor_all_repositories_more_than_the_process()
    {
        var (redis, issuer, channel) = (servers.Redis, servers.Issuer, servers.NewChannel("wait-limit"));
        await using var recorder = await ChannelRecorder.StartAsync(redis.Address, channel);
        var (web, client) = await WebProcess.StartReadyAsync(redis, issuer, channel, flags: ["--max-waits", "8", "--max-waits-per-repository", "3"], clientTimeout: TimeSpan.FromMinutes(5));
        using var process = web;
        using var http = client;
        using var holding = new CancellationTokenSource();
        var held = new List<Task>();
        try
        {
            // One token, the same event again and again: the first three wait, the fourth and later are refused.
            var jti = Guid.NewGuid().ToString();
            var token = issuer.CreateToken(new GitHubTokenClaims { Jti = jti });
            held.Add(Hold(client, token, holding.Token));
            await recorder.NextAsync();
            // Once the first is marked delivered, the same token's retries publish nothing (they are answered from the record).
            // The record's key is the web mode's: the hash of the issuer and the jti, under the token store's prefix.
            var record = "kuberollouttrigger:jti:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issuer.Issuer + "\n" + jti)));
            await using (var valkey = await redis.ConnectAsync())
            {
                await Wait.UntilAsync(async () => ((string?)await valkey.GetDatabase().StringGetAsync(record))?.EndsWith("|1", StringComparison.Ordinal) == true,
                    what: "the token's event marked delivered");
            }
            for (var i = 0; i < 2; i++)
                held.Add(Hold(client, token, holding.Token));
            await WaitingAsync(client, 3);
            for (var i = 0; i < 5; i++)
            {
                using var refused = await WebProcess.PostAsync(client, token, query: "?wait=600");
                await AssertRefusedAsync(refused, HttpStatusCode.TooManyRequests, "this repository already has 3 waiting requests");
            }
            Assert.Equal(0, await PublishedAsync(recorder));

            // Other repositories fill the process: 3 + 3 + 2 = 8, then even a new repository is refused with 503.
            foreach (var (repository, count) in new[] { ("acme/second", 3), ("acme/third", 2) })
            {
                for (var i = 0; i < count; i++)
                    held.Add(Hold(client, issuer.CreateToken(new GitHubTokenClaims { Repository = repository }), holding.Token));
            }
            for (var i = 0; i < 5; i++)
                await recorder.NextAsync();
            await WaitingAsync(client, 8);
            using (var full = await WebProcess.PostAsync(client, issuer.CreateToken(new GitHubTokenClaims { Repository = "acme/fourth" }), query: "?wait=600"))
                await AssertRefusedAsync(full, HttpStatusCode.ServiceUnavailable, "this service already holds 8 waiting requests");
            Assert.Equal(0, await PublishedAsync(recorder));

            // Without ?wait nothing is held, so nothing is refused.
            using (var plain = await WebProcess.PostAsync(client, issuer.CreateToken(new GitHubTokenClaims { Repository = "acme/fourth" })))
                Assert.Equal(HttpStatusCode.Accepted, plain.StatusCode);
            Assert.Equal(1, await PublishedAsync(recorder));

            // Clients that go away give their slots back.
            await holding.CancelAsync();
            await WaitingAsync(client, 0);
            using var after = await WebProcess.PostAsync(client, token, query: "?wait=0");
            Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
        }
        finally
        {
            await holding.CancelAsync();
            await Task.WhenAll(held.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            web.Stop();
        }
    }

    private static async Task Hold(HttpClient client, string token, CancellationToken until)
    {
        try
        {
            using var response = await WebProcess.PostAsync(client, token, query: "?wait=600", cancellationToken: until);
            Assert.Fail($"a held wait was answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
        }
        catch (OperationCanceledException) when (until.IsCancellationRequested)
        {
        }
    }

    private static async Task WaitingAsync(HttpClient client, int count) =>
        await Wait.UntilAsync(async () => (await PrometheusScrape.FromAsync(client)).Value("kuberollouttrigger_events_waiting") == count,
            TimeSpan.FromSeconds(30), $"{count} waiting requests");

    /// <summary>How many messages were published since the last call: those before a marker published now.</summary>
    private static async Task<int> PublishedAsync(ChannelRecorder recorder)
    {
        var marker = "count-" + Guid.NewGuid();
        await recorder.PublishMarkerAsync(marker);
        var count = 0;
        while (Encoding.UTF8.GetString(await recorder.NextAsync()) != marker)
            count++;
        return count;
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode} {body}");
        Assert.Contains(reason, body, StringComparison.Ordinal);
        Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture) > 0);
    }
}
