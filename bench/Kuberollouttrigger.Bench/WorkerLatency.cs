using System.Diagnostics;
using k8s;
using k8s.Models;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;
using Kuberollouttrigger.Transport.Publishing;
using StackExchange.Redis;

namespace Kuberollouttrigger.Bench;

/// <summary>
/// Load script (3) of docs/performance.md: 10,000 Deployments in 500 namespaces on the fake API server; time from
/// PUBLISH to the first and the last PATCH for events matching 1, 10 and 100 Deployments, with 0 and 5 ms of API
/// latency, against the floor of a bare PATCH round trip to the same server.
/// </summary>
public static class WorkerLatency
{
    public static async Task<int> RunAsync(string[] args)
    {
        var dll = args.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal));
        if (dll is null || !File.Exists(dll))
        {
            Console.Error.WriteLine("usage: worker-latency <published kuberollouttrigger.dll>");
            return 2;
        }

        await using var redis = await RedisServer.StartAsync();
        await using var api = await FakeKubernetesApi.StartAsync();
        for (var i = 0; i < 10_000; i++)
            api.AddDeployment($"team-{i % 500:D3}", $"svc-{i:D5}", [$"ghcr.io/acme/svc-{i % 2_000:D4}:dev"]);
        foreach (var n in new[] { 1, 10, 100 })
        {
            for (var i = 0; i < n; i++)
                api.AddDeployment($"team-{i * 7 % 500:D3}", $"hot{n}-{i:D3}", [$"ghcr.io/acme/hot-{n}:dev"]);
        }
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        var healthPort = FreePort.Next();
        using var worker = ChildProcess.Start("dotnet", [dll, "worker"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["KUBECONFIG"] = kubeconfig,
            ["WORKER_HEALTH_ADDR"] = $"127.0.0.1:{healthPort}",
            ["LOG_LEVEL"] = "warn",
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_gcConcurrent"] = "0",
        });
        await ReadyProbe.WaitAsync(new Uri($"http://127.0.0.1:{healthPort}/readyz"), worker, TimeSpan.FromSeconds(60));
        await using var publisher = await redis.ConnectAsync();
        var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

        Console.WriteLine("== worker latency (10,000 Deployments, 500 namespaces) ==");
        var hundredPatched = 0.0;
        foreach (var latency in new[] { 0, 5 })
        {
            api.Latency = TimeSpan.FromMilliseconds(latency);
            var floor = await BarePatchMillisecondsAsync(client);
            Console.WriteLine($"API latency {latency} ms: bare PATCH round trip p50 {floor:F2} ms");
            var firsts = new List<double>();
            foreach (var n in new[] { 1, 10, 100 })
            {
                var first = new List<double>();
                var last = new List<double>();
                for (var run = 0; run < 7; run++)
                {
                    var (f, l) = await OneEventAsync(api, publisher, $"ghcr.io/acme/hot-{n}", n);
                    if (run > 0)
                    {
                        first.Add(f);
                        last.Add(l);
                    }
                }
                Console.WriteLine($"  {n,3} matching: PUBLISH->first PATCH p50 {Median(first),7:F2} ms, ->last PATCH p50 {Median(last),7:F2} ms");
                firsts.Add(Median(first));
                if (n == 100 && latency == 5)
                    hundredPatched = Median(last);
            }
            var bound = (2 * floor) + 5;
            Figures.Add($"worker-first-patch-{latency}ms", $"PUBLISH → first PATCH p50, {latency} ms API latency (1 / 10 / 100 matching)", $"≤ 2× floor + 5 ms = {bound:F1} ms",
                string.Join(" / ", firsts.Select(f => $"{f:F1} ms")), $"bare PATCH {floor:F2} ms", "", "`worker-latency`, 10,000 Deployments in 500 namespaces, 6 events each");
        }
        Console.WriteLine($"LIST requests while handling events: {lists}");
        Figures.Add("worker-lists", "Worker LIST requests per event once synced", "0", lists.ToString(System.Globalization.CultureInfo.InvariantCulture), "", "", "`worker-latency`, fake API request log");
        Figures.Add("worker-100-patched", "100 matching Deployments all patched, 5 ms API latency", "≤ 1 s", $"{hundredPatched:F0} ms (8 PATCH in flight)", "", "", "`worker-latency`");
        Console.WriteLine($"worker peak RSS {ReadyProbe.StatusMiB(worker.Pid, "VmHWM"):F1} MiB");
        worker.Stop();
        File.Delete(kubeconfig);
        return 0;
    }

    internal static int lists;

    internal static async Task<(double First, double Last)> OneEventAsync(FakeKubernetesApi api, ConnectionMultiplexer publisher, string image, int expected)
    {
        api.ClearRequests();
        var message = new ImageUpdated(Guid.NewGuid(), image, ["dev"], null, DateTimeOffset.UtcNow);
        var body = MessageEnvelopeWriter.Write(message, message.EventId, new Uri("valkey:bench"), new Uri("valkey:channel/kuberollouttrigger"));
        var sent = DateTimeOffset.UtcNow;
        await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal("kuberollouttrigger"), body);
        var deadline = Stopwatch.StartNew();
        List<RecordedRequest> patches;
        while ((patches = [.. api.Requests.Where(r => r.IsPatch && r.Status == 200)]).Count < expected)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException($"only {patches.Count} of {expected} PATCH requests arrived");
            await Task.Delay(1);
        }
        lists += api.Requests.Count(r => r.IsList);
        return ((patches.Min(p => p.At) - sent).TotalMilliseconds, (patches.Max(p => p.At) - sent).TotalMilliseconds);
    }

    private static async Task<double> BarePatchMillisecondsAsync(k8s.Kubernetes client)
    {
        var times = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var patch = new V1Patch("{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"bench\":\"" + i + "\"}}}}}", V1Patch.PatchType.StrategicMergePatch);
            var watch = Stopwatch.StartNew();
            await client.AppsV1.PatchNamespacedDeploymentAsync(patch, "svc-00000", "team-000");
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return Median(times.Skip(5).ToList());
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
