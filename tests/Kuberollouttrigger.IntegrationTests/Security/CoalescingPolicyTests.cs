using System.Text.Json;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;
using Kuberollouttrigger.Transport.Publishing;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>
/// The attack, on the real worker with POLICY_FILE and COALESCE_WINDOW: a forged message the policy refuses joined the
/// window an allowed event had opened, and its tags were restarted under the allowed repository's name; a window whose
/// restart the policy refused was tried again and again as if the failure were transient. Now the policy is checked
/// before a message opens or joins a window, and a refused window is given up at once.
/// </summary>
[Collection(nameof(HostileInputProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class CoalescingPolicyTests(SharedServers servers)
{
    private const string Policy = """
        rules:
          - repositories: acme/app
            images: ["{prefix}{repository_name}"]
            refs: refs/heads/main
        """;

    private string Channel { get; } = servers.NewChannel("coalescing-policy");

    [Fact]
    public async Task Policy_refused_message_never_joins_an_open_window()
    {
        var redis = servers.Redis;
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        api.AddDeployment("shop", "prod", ["ghcr.io/acme/app:prod"]);
        await using var worker = await StartWorkerAsync(redis, api);
        await using var valkey = await redis.ConnectAsync();

        var allowed = Event(["dev"], "refs/heads/main");
        var forged = Event(["prod"], "refs/heads/feature");
        var forgedMain = Event(["prod"], "refs/heads/main") with { TriggeredBy = Trigger("refs/heads/main") with { Repository = "acme/other" } };
        foreach (var message in new[] { allowed, forged, forgedMain })
            await valkey.GetSubscriber().PublishAsync(RedisChannel.Literal(Channel), Envelope(message));

        await Wait.UntilAsync(() => worker.Process.Output.Contains("\"log_event_id\":410", StringComparison.Ordinal), what: "the window restarted");
        var patch = Assert.Single(api.Requests, r => r.IsPatch);
        Assert.EndsWith("/namespaces/shop/deployments/web", patch.Path, StringComparison.Ordinal);
        Assert.Contains($"Refused message {forged.EventId}: ref not allowed by policy", worker.Process.Output, StringComparison.Ordinal);
        Assert.Contains($"Refused message {forgedMain.EventId}: repository not allowed by policy", worker.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("coalesced into event", worker.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(RestartedAtAnnotation, Annotations(api, "prod").Keys);
    }

    [Fact]
    public async Task Window_the_policy_refuses_at_its_restart_is_given_up_at_once_not_retried()
    {
        var redis = servers.Redis;
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "prod", ["ghcr.io/acme/app:prod"]);
        await using var worker = await StartWorkerAsync(redis, api);
        await using var valkey = await redis.ConnectAsync();

        // Written straight into Valkey by someone who can write to it: a closed window of a message the policy refuses.
        var forged = Event(["prod"], "refs/heads/feature");
        var prefix = $"kuberollouttrigger:{Channel}:coalesce:";
        var id = forged.EventId.ToString("N");
        var db = valkey.GetDatabase();
        await db.HashSetAsync(prefix + "window:" + id + ":data",
            [new("message", JsonSerializer.Serialize(forged)), new("state", "open"), new("joined", 0), new("attempts", 0)]);
        await db.SetAddAsync(prefix + "window:" + id + ":tags", "prod");
        await db.SortedSetAddAsync(prefix + "due", id, DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds());

        await Wait.UntilAsync(() => worker.Process.Output.Contains("\"log_event_id\":414", StringComparison.Ordinal), what: "the window given up as refused");
        await Wait.UntilAsync(async () => await db.SortedSetLengthAsync(prefix + "due") == 0 && !await db.KeyExistsAsync(prefix + "window:" + id + ":data"),
            what: "the window removed");
        Assert.Contains("refused, not retried: ref not allowed by policy", worker.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"log_event_id\":411", worker.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(api.Requests, r => r.IsPatch);
    }

    [Fact]
    public async Task Garbage_windows_written_into_Valkey_are_dropped_and_the_worker_goes_on()
    {
        var redis = servers.Redis;
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        await using var worker = await StartWorkerAsync(redis, api);
        await using var valkey = await redis.ConnectAsync();
        var db = valkey.GetDatabase();
        var prefix = $"kuberollouttrigger:{Channel}:coalesce:";
        var due = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds();
        var unreadable = Guid.NewGuid().ToString("N");
        await db.HashSetAsync(prefix + "window:" + unreadable + ":data", [new("message", "{not json"), new("state", "open"), new("joined", "many"), new("attempts", 0)]);
        await db.SortedSetAddAsync(prefix + "due", unreadable, due);
        await db.HashSetAsync(prefix + "window:not-a-guid:data", [new("message", "{}"), new("state", "open"), new("joined", 0), new("attempts", 0)]);
        await db.SortedSetAddAsync(prefix + "due", "not-a-guid", due);

        await Wait.UntilAsync(async () => await db.SortedSetLengthAsync(prefix + "due") == 0, what: "both garbage windows dropped");
        Assert.Contains("refused, not retried: the window's message cannot be read", worker.Process.Output, StringComparison.Ordinal);
        await valkey.GetSubscriber().PublishAsync(RedisChannel.Literal(Channel), Envelope(Event(["dev"], "refs/heads/main")));

        await Wait.UntilAsync(() => worker.Process.Output.Contains("\"log_event_id\":410", StringComparison.Ordinal), what: "a real window restarted afterwards");
        Assert.Single(api.Requests, r => r.IsPatch);
        Assert.False(worker.Process.HasExited);
    }

    private const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    private static Dictionary<string, string> Annotations(FakeKubernetesApi api, string name) =>
        (api.Store.Get("shop", name, "deployments")?["spec"]?["template"]?["metadata"]?["annotations"]?.AsObject() ?? [])
            .ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal);

    private static ImageUpdated Event(string[] tags, string @ref) =>
        new(Guid.NewGuid(), "ghcr.io/acme/app", tags, Trigger(@ref), DateTimeOffset.UtcNow);

    private static GitHubTrigger Trigger(string @ref) =>
        new("acme/app", "acme", @ref, "0123456789abcdef0123456789abcdef01234567", "build", "octocat", "4242", "2000002", "1000001");

    private byte[] Envelope(ImageUpdated message) =>
        MessageEnvelopeWriter.Write(message, message.EventId, new Uri("valkey:test"), new Uri("valkey:channel/" + Channel));

    private async Task<RunningWorker> StartWorkerAsync(RedisServer redis, FakeKubernetesApi api)
    {
        var policy = Path.Combine(Path.GetTempPath(), $"krt-policy-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(policy, Policy);
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        var port = FreePort.Next();
        var process = HostProcess.Start(["worker", "--health-addr", $"127.0.0.1:{port}", "--coalesce-window", "1s"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["VALKEY_CHANNEL"] = Channel,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["KUBECONFIG"] = kubeconfig,
            ["POLICY_FILE"] = policy,
        });
        var worker = new RunningWorker(process, [policy, kubeconfig]);
        try
        {
            await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/readyz"), process);
            return worker;
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    private sealed class RunningWorker(ChildProcess process, string[] files) : IAsyncDisposable
    {
        public ChildProcess Process { get; } = process;

        public ValueTask DisposeAsync()
        {
            Process.Dispose();
            foreach (var file in files)
                File.Delete(file);
            return ValueTask.CompletedTask;
        }
    }
}
