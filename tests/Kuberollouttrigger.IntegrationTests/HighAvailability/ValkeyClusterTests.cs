using System.Net;
using System.Text;
using System.Text.Json;
using Kuberollouttrigger.IntegrationTests.Collections;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Streams;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.HighAvailability;

/// <summary>
/// The product on a real three-node Valkey Cluster (<c>redis-cli --cluster create</c>): a signed POST restarts the
/// matching Deployments in both delivery modes, a waiting client hears the status on the sharded status channel,
/// coalescing windows and dead letters work through their scripts, and the keys land where the docs say.
/// </summary>
[Collection(nameof(HighAvailabilityCollection))]
public sealed class ValkeyClusterTests(ClusterServers servers)
{
    private const string AppDev = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";

    [Theory]
    [InlineData("pubsub")]
    [InlineData("stream")]
    public async Task Signed_event_restarts_the_matching_Deployments_through_a_Cluster(string mode)
    {
        var channel = servers.NewChannel("cluster-" + mode);
        await using var stack = await HaStack.StartAsync(servers.Issuer, channel, servers.Settings(mode));

        var (response, body) = await stack.PostAsync(AppDev, "?wait=30");

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal("done", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(["blog/web", "shop/web"], stack.Restarts().Order());
        var eventId = json.RootElement.GetProperty("eventId").GetString()!.Replace("-", "", StringComparison.Ordinal);
        await using var valkey = await servers.Cluster.ConnectAsync();
        Assert.Equal("done", (string?)await valkey.GetDatabase().StringGetAsync($"kuberollouttrigger:{channel}:event:{eventId}"));
        if (mode == "stream")
        {
            var names = StreamNames.For(new ValkeyNames(channel, Cluster: true));
            Assert.Equal("{" + channel + "}:stream", names.Stream);
            Assert.Equal(1, await valkey.GetDatabase().StreamLengthAsync(names.Stream));
            Assert.Equal(0, (await valkey.GetDatabase().StreamGroupInfoAsync(names.Stream)).Single().PendingMessageCount);
        }
        // Nothing restarts twice: the status said done, and another event's completion comes after anything late of this one.
        var (second, _) = await stack.PostAsync("""{"image":"ghcr.io/acme/app","tags":["prod"]}""", "?wait=30");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(["blog/prod", "blog/web", "shop/web"], stack.Restarts().Order());
    }

    [Fact]
    public async Task Coalescing_windows_run_their_scripts_in_one_slot_of_the_Cluster()
    {
        var channel = servers.NewChannel("cluster-coalesce");
        await using var stack = await HaStack.StartAsync(servers.Issuer, channel, servers.Settings("stream"),
            workerExtra: new Dictionary<string, string?> { ["Coalescing:Window"] = "00:00:01" });

        var (first, _) = await stack.PostAsync(AppDev);
        var (second, _) = await stack.PostAsync("""{"image":"ghcr.io/acme/app","tags":["prod"]}""");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);

        await using var valkey = await servers.Cluster.ConnectAsync();
        var due = $"kuberollouttrigger:{{{channel}}}:coalesce:due";
        await Wait.UntilAsync(() => stack.Restarts().Count == 3, TimeSpan.FromSeconds(30), "the window's restarts");
        await Wait.UntilAsync(async () => await valkey.GetDatabase().SortedSetLengthAsync(due) == 0, TimeSpan.FromSeconds(30), "the window to complete");
        Assert.Equal(["blog/prod", "blog/web", "shop/web"], stack.Restarts().Order());
    }

    [Fact]
    public async Task An_unreadable_entry_is_dead_lettered_beside_its_stream_in_the_Cluster()
    {
        var channel = servers.NewChannel("cluster-dead");
        await using var stack = await HaStack.StartAsync(servers.Issuer, channel, servers.Settings("stream"));
        var names = StreamNames.For(new ValkeyNames(channel, Cluster: true));
        await using var valkey = await servers.Cluster.ConnectAsync();
        var db = valkey.GetDatabase();

        await db.StreamAddAsync(names.Stream, [new NameValueEntry(StreamNames.BodyField, Encoding.UTF8.GetBytes("not json")), new NameValueEntry(StreamNames.ContentTypeField, "application/json")]);

        await Wait.UntilAsync(async () => await db.KeyExistsAsync(names.DeadLetter) && await db.StreamLengthAsync(names.DeadLetter) == 1, TimeSpan.FromSeconds(20), "the dead letter");
        var dead = (await db.StreamRangeAsync(names.DeadLetter)).Single();
        Assert.StartsWith("unreadable", (string?)dead[StreamNames.ReasonField], StringComparison.Ordinal);
        await Wait.UntilAsync(async () => (await db.StreamGroupInfoAsync(names.Stream)).Single().PendingMessageCount == 0, TimeSpan.FromSeconds(20), "the entry acknowledged");
        Assert.Empty(stack.Restarts());
    }

    [Fact]
    public async Task A_Cluster_read_as_one_Valkey_keeps_both_modes_not_ready_and_names_the_setting()
    {
        var channel = servers.NewChannel("cluster-mismatch");
        var settings = servers.Settings("pubsub");
        settings["Valkey:Cluster"] = "false";
        await using var stack = await HaStack.StartAsync(servers.Issuer, channel, settings, waitUntilReady: false);
        await using var valkey = await servers.Cluster.ConnectAsync();

        await Wait.UntilAsync(async () => await IsReadyAsync(stack.Ingress.Client) == false && await IsReadyAsync(stack.Worker.Client) == false
            && await stack.Ingress.Client.GetAsync("/healthz") is { IsSuccessStatusCode: true }, TimeSpan.FromSeconds(20), "both modes to report not ready");
        Assert.Equal("VALKEY_ADDR is a Valkey Cluster: set VALKEY_CLUSTER=true (--valkey-cluster) on the web mode and the worker",
            ValkeyTopology.Mismatch(valkey, new ValkeyOptions { Address = servers.Cluster.Addresses, Cluster = false }));
        Assert.Null(ValkeyTopology.Mismatch(valkey, new ValkeyOptions { Address = servers.Cluster.Addresses, Cluster = true }));
    }

    private static async Task<bool> IsReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/readyz");
        return response.IsSuccessStatusCode;
    }
}
