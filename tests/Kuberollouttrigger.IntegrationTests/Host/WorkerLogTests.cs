using System.Text.Json.Nodes;
using Kuberollouttrigger.IntegrationTests.Collections;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Kuberollouttrigger.IntegrationTests.Host;

/// <summary>
/// The worker's log lines say what happened, at the level it deserves: a refused message is one warning (and its dead
/// letter), never retried and never a fault; a 403 and a summary with failures are warnings; DRY_RUN says "would restart".
/// </summary>
[Collection(nameof(WorkerProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class WorkerLogTests(SharedServers servers, ITestOutputHelper output)
{
    [Fact]
    public async Task A_refused_message_is_refused_once_as_a_warning_and_a_403_is_a_warning_too()
    {
        var (redis, channel) = (servers.Redis, servers.NewChannel("worker-log"));
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        api.Fail("PATCH", "/deployments/web", 403);
        using var worker = await StartWorkerAsync(redis, channel, api, []);
        try
        {
            await using var publisher = await redis.ConnectAsync();
            await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), """{"image":"ghcr.io/evil/app","tags":["dev"]}""");
            await Wait.UntilAsync(() => worker.Output.Contains("to the dead-letter stream", StringComparison.Ordinal), what: "the dead letter");
            await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), """{"image":"ghcr.io/acme/app","tags":["dev"]}""");
            await Wait.UntilAsync(() => worker.Output.Contains("1 matched, 0 restarted, 0 skipped, 1 failed", StringComparison.Ordinal), what: "the summary");
        }
        finally
        {
            worker.Stop();
        }

        var lines = LogLines.Parse(worker.Output);
        output.WriteLine(string.Join('\n', lines.Select(l => l.ToJsonString())));
        Assert.DoesNotContain("R-FAULT", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Text("level") is "error" or "critical");
        var refused = Assert.Single(lines, l => l.Text("message").StartsWith("Refused message", StringComparison.Ordinal));
        var deadLetter = Assert.Single(lines, l => l.Text("message").StartsWith("Moved message", StringComparison.Ordinal));
        Assert.Equal(("warn", "warn"), (refused.Text("level"), deadLetter.Text("level")));
        Assert.Equal(refused.Text("event_id"), deadLetter.Text("event_id"));
        Assert.Contains("refused: image is not under the allowed image prefix", deadLetter.Text("reason"), StringComparison.Ordinal);
        var forbidden = Assert.Single(lines, l => l.Text("outcome") == "forbidden");
        Assert.Equal(("warn", "deployment", "shop", "web"), (forbidden.Text("level"), forbidden.Text("kind"), forbidden.Text("namespace"), forbidden.Text("name")));
        Assert.Equal("warn", Assert.Single(lines, l => l.Text("message").Contains("1 failed", StringComparison.Ordinal)).Text("level"));
    }

    [Fact]
    public async Task A_DRY_RUN_summary_says_would_restart_and_nothing_is_patched()
    {
        var (redis, channel) = (servers.Redis, servers.NewChannel("worker-log"));
        await using var api = await FakeKubernetesApi.StartAsync();
        api.Store.Put(WorkloadJson.WithPullPolicy(WorkloadJson.Create("shop", "web", ["ghcr.io/acme/app:dev"]), "Always"));
        using var worker = await StartWorkerAsync(redis, channel, api, new() { ["DRY_RUN"] = "true" });
        try
        {
            await using var publisher = await redis.ConnectAsync();
            await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), """{"image":"ghcr.io/acme/app","tags":["dev"]}""");
            await Wait.UntilAsync(() => worker.Output.Contains("would restart (nothing patched)", StringComparison.Ordinal), what: "the summary");
        }
        finally
        {
            worker.Stop();
        }

        var lines = LogLines.Parse(worker.Output);
        output.WriteLine(string.Join('\n', lines.Select(l => l.ToJsonString())));
        var summary = Assert.Single(lines, l => l.Text("log_event_id") == "204");
        Assert.EndsWith("DRY_RUN: 1 matched, 1 would restart (nothing patched), 0 skipped, 0 failed", summary.Text("message"), StringComparison.Ordinal);
        Assert.Equal("info", summary.Text("level"));
        Assert.DoesNotContain(lines, l => l.Text("message").Contains(" restarted", StringComparison.Ordinal));
        Assert.DoesNotContain(api.Requests, r => r.IsPatch);
    }

    private static async Task<ChildProcess> StartWorkerAsync(RedisServer redis, string channel, FakeKubernetesApi api, Dictionary<string, string?> extra)
    {
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        var port = FreePort.Next();
        var environment = new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["VALKEY_CHANNEL"] = channel,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["KUBECONFIG"] = kubeconfig,
        };
        foreach (var (key, value) in extra)
            environment[key] = value;
        var worker = HostProcess.Start(["worker", "--health-addr", $"127.0.0.1:{port}"], environment);
        try
        {
            await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/readyz"), worker);
        }
        finally
        {
            // The worker read it at start.
            File.Delete(kubeconfig);
        }
        return worker;
    }
}
