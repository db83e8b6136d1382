using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Transport.Publishing;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.Coalescing;

/// <summary>
/// The published worker with <c>--coalesce-window</c>: the flag, the log lines and the metrics as users see them. The
/// window is long enough that three messages published one after another join it on a machine loaded many times over.
/// </summary>
[Collection(nameof(WorkerProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class CoalescingProcessTests(SharedServers servers)
{
    [Fact]
    public async Task Worker_process_with_a_coalesce_window_restarts_once_for_three_events_and_counts_the_coalesced_ones()
    {
        var (redis, channel) = (servers.Redis, servers.NewChannel("coalesce-process"));
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        var port = FreePort.Next();
        using var process = HostProcess.Start(["worker", "--health-addr", $"127.0.0.1:{port}", "--coalesce-window", "5s"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["VALKEY_CHANNEL"] = channel,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["KUBECONFIG"] = kubeconfig,
        });
        try
        {
            await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/readyz"), process);
            await using var publisher = await redis.ConnectAsync();
            for (var i = 0; i < 3; i++)
            {
                var message = new ImageUpdated(Guid.NewGuid(), "ghcr.io/acme/app", ["dev"], null, DateTimeOffset.UtcNow);
                var body = MessageEnvelopeWriter.Write(message, message.EventId, new Uri("valkey:test"), new Uri("valkey:channel/kuberollouttrigger"));
                await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), body);
            }

            await Wait.UntilAsync(() => process.Output.Contains("\"log_event_id\":410", StringComparison.Ordinal), what: "the window restarted");
            Assert.Single(api.Requests, r => r.IsPatch && r.Status == 200);
            Assert.Equal(2, process.Output.Split('\n').Count(l => l.Contains("\"log_event_id\":401", StringComparison.Ordinal)));
            Assert.Contains("coalesced into event", process.Output, StringComparison.Ordinal);
            using var client = new HttpClient();
            var metrics = await client.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            Assert.Matches("(?m)^kuberollouttrigger_events_coalesced_total\\{[^}]*\\} 2$", metrics);
            Assert.Matches("(?m)^kuberollouttrigger_coalescing_flushed_total\\{[^}]*\\} 1$", metrics);
        }
        finally
        {
            process.Stop();
            File.Delete(kubeconfig);
        }
    }
}
