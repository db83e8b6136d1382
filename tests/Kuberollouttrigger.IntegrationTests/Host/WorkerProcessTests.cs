using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Processes;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.Host;

[Collection(nameof(WorkerProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class WorkerProcessTests(SharedServers servers)
{
    [Fact]
    public async Task Worker_without_configuration_exits_non_zero_naming_every_missing_setting()
    {
        using var process = HostProcess.Start(["worker"], new Dictionary<string, string?>());

        Assert.NotEqual(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("VALKEY_ADDR / --valkey-addr", process.Output, StringComparison.Ordinal);
        Assert.Contains("ALLOWED_IMAGE_PREFIX / --allowed-image-prefix", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_without_cluster_configuration_says_how_to_give_it()
    {
        using var process = HostProcess.Start(["worker", "--valkey-addr", "127.0.0.1:1", "--allowed-image-prefix", "ghcr.io/acme", "--health-addr", $"127.0.0.1:{FreePort.Next()}"],
            new Dictionary<string, string?>());

        Assert.NotEqual(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("KUBECONFIG / --kubeconfig", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_with_an_unknown_workload_kind_exits_at_start_naming_it()
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        using var process = HostProcess.Start(["worker", "--valkey-addr", "127.0.0.1:1", "--allowed-image-prefix", "ghcr.io/acme", "--health-addr", $"127.0.0.1:{FreePort.Next()}"],
            new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfig, ["WORKLOAD_KINDS"] = "deployments,cronjobs" });
        try
        {
            Assert.NotEqual(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("WORKLOAD_KINDS / --workload-kinds: unknown workload kind(s) 'cronjobs'", process.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(api.Requests, r => r.Path.StartsWith("/apis/", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public async Task Worker_process_restarts_a_Deployment_for_a_raw_Go_event_and_logs_one_line_per_event()
    {
        // The Go original's default channel, on the collection's redis-server: no other test there uses it.
        var redis = servers.Redis;
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        var port = FreePort.Next();
        using var process = HostProcess.Start(["worker", "--health-addr", $"127.0.0.1:{port}"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["KUBECONFIG"] = kubeconfig,
            ["VALKEY_PASSWORD"] = "",
        });
        try
        {
            await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/readyz"), process);
            await using var publisher = await redis.ConnectAsync();

            await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal("kuberollouttrigger"), """{"image":"ghcr.io/acme/app","tags":["dev"]}""");

            await Wait.UntilAsync(() => api.Requests.Any(r => r.IsPatch && r.Status == 200), what: "the PATCH");
            await Wait.UntilAsync(() => process.Output.Contains("\"log_event_id\":200", StringComparison.Ordinal), what: "the event log line");
            Assert.Contains("\"restarted\":1", process.Output, StringComparison.Ordinal);
            Assert.Contains("\"outcome\":\"restarted\"", process.Output, StringComparison.Ordinal);
            using var client = new HttpClient();
            var metrics = await client.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            Assert.Matches("(?m)^kuberollouttrigger_workloads_total\\{[^}]*outcome=\"restarted\"[^}]*\\} 1$", metrics);
            // The old name, kept one release as a deprecated alias of the same count (docs/migration.md).
            Assert.Matches("(?m)^kuberollouttrigger_deployments_total\\{[^}]*outcome=\"restarted\"[^}]*\\} 1$", metrics);
            Assert.Matches("(?m)^kuberollouttrigger_events_consumed_total\\{[^}]*\\} 1$", metrics);
            // A raw event carries no acceptance time, so it adds nothing to the latency histogram.
            Assert.DoesNotMatch("(?m)^kuberollouttrigger_event_to_restart_duration_seconds_count\\{[^}]*\\} [1-9]", metrics);
            Assert.Matches("(?m)^kuberollouttrigger_index_workloads\\{[^}]*kind=\"deployment\"[^}]*\\} 1$", metrics);
            Assert.Matches("(?m)^kuberollouttrigger_index_deployments\\{[^}]*kind=\"deployment\"[^}]*\\} 1$", metrics);
        }
        finally
        {
            process.Stop();
            File.Delete(kubeconfig);
        }
    }
}
