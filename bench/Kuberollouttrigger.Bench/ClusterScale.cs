using System.Diagnostics;
using System.Globalization;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.Bench;

/// <summary>
/// Ten times the cluster: the worker against the fake API seeded with realistic Deployments (about 8 KB of JSON each),
/// at 10,000 in 500 namespaces (the baseline, in the same run) and 100,000 in 2,000 namespaces. Per scale: time from
/// process start to ready (one cluster-wide list and watch), the worker's RSS, PUBLISH to first PATCH for events that
/// match 1, 10 and 100 Deployments, LIST requests per event; then ready time in per-namespace mode (one list and
/// watch per namespace, at most ListConcurrency lists at once); and what the Go original's design costs the API
/// server per event and tag: one cluster-wide LIST, measured as bytes and time to serve it here.
/// </summary>
public static class ClusterScale
{
    public static async Task<int> RunAsync(string[] args)
    {
        var dll = args.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal));
        if (dll is null || !File.Exists(dll))
        {
            Console.Error.WriteLine("usage: cluster-scale <published kuberollouttrigger.dll> [--deployments 100000] [--namespaces 2000]");
            return 2;
        }
        var deployments = Option(args, "--deployments", 100_000);
        var namespaces = Option(args, "--namespaces", 2_000);

        Console.WriteLine("== cluster scale ==");
        var minimal = await GoListCostAsync(10_000, realistic: false, namespaces: 500);
        Figures.Add("go-list-10k-minimal", "Go original's design: one cluster-wide LIST per event and tag, 10,000 minimal Deployments", "",
            $"{minimal.Megabytes:F1} MB, {minimal.Milliseconds:F0} ms to serve", "", "", "`cluster-scale`: `GET /apis/apps/v1/deployments` without `limit` on the fake API, median of 5");
        var small = await MeasureScaleAsync(dll, 10_000, 500);
        var large = await MeasureScaleAsync(dll, deployments, namespaces);

        var label = $"{deployments:N0} realistic Deployments in {namespaces:N0} namespaces";
        Figures.Add("scale-ready", $"Worker ready, {label} (cluster-wide list + watch)", "≤ 10 s", $"{large.Ready.TotalSeconds:F1} s",
            $"10,000: {small.Ready.TotalSeconds:F1} s", "", "`cluster-scale`: process start → `/readyz` 200");
        Figures.Add("scale-rss", $"Worker RSS after sync, {label}", "working set ≤ 256 MiB", $"{Figures.Mib(large.Rss)} (peak {Figures.Mib(large.PeakRss)})",
            $"10,000: {Figures.Mib(small.Rss)} (peak {Figures.Mib(small.PeakRss)})", "", "`cluster-scale`, `/proc/<pid>/status` 5 s after ready; the cgroup's working set: `container-memory --deployments`");
        Figures.Add("scale-first-patch", $"PUBLISH → first PATCH p50 (1 / 10 / 100 matching), {label}", "within 2 ms of 10,000",
            string.Join(" / ", large.FirstPatch.Select(Figures.Ms)), "10,000: " + string.Join(" / ", small.FirstPatch.Select(Figures.Ms)),
            string.Create(CultureInfo.InvariantCulture, $"{large.FirstPatch.Zip(small.FirstPatch, (l, s) => l - s).Max():+0.0;-0.0} ms at most"), "`cluster-scale`, 0 ms API latency, 6 events each");
        Figures.Add("scale-lists", $"LIST requests per event, {label}", "0", large.ListsPerEvent.ToString(CultureInfo.InvariantCulture), "", "", "`cluster-scale`, fake API request log while the events ran");
        Figures.Add("scale-per-namespace", $"Worker ready, per-namespace mode, {namespaces:N0} namespaces ({deployments:N0} Deployments)", "≤ 30 s", $"{large.ReadyPerNamespace.TotalSeconds:F1} s",
            $"cluster-wide {large.Ready.TotalSeconds:F1} s; 500 namespaces / 10,000: {small.ReadyPerNamespace.TotalSeconds:F1} s", "", "`cluster-scale`, `ALLOWED_NAMESPACES` lists every namespace; at most 8 LISTs at once, one watch each");
        Figures.Add("scale-api-cost", $"API-server cost per event, {label}", "", $"0 LIST; 1 PATCH per matching Deployment",
            $"Go original: one cluster-wide LIST per tag, {large.GoList.Megabytes:F0} MB and {large.GoList.Milliseconds:F0} ms to serve here (10,000: {small.GoList.Megabytes:F1} MB, {small.GoList.Milliseconds:F0} ms)", "",
            "`cluster-scale`: the same LIST served by the fake API, median of 5");
        return 0;
    }

    private sealed record Scale(TimeSpan Ready, double Rss, double PeakRss, double[] FirstPatch, int ListsPerEvent, TimeSpan ReadyPerNamespace, ListCost GoList);

    private sealed record ListCost(double Megabytes, double Milliseconds);

    private static async Task<Scale> MeasureScaleAsync(string dll, int deployments, int namespaces)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var api = await FakeKubernetesApi.StartAsync();
        // kube-apiserver sends a bookmark about once a minute; one a second on 2,000 watches would be most of the traffic.
        api.BookmarkInterval = TimeSpan.FromMinutes(1);
        var seeding = Stopwatch.StartNew();
        RealisticDeployments.Seed(api, deployments, namespaces, i => $"ghcr.io/acme/svc-{i % 2_000:D4}:dev");
        foreach (var n in new[] { 1, 10, 100 })
        {
            for (var i = 0; i < n; i++)
            {
                var ns = RealisticDeployments.NamespaceName(i * 7 % namespaces);
                var name = $"hot{n}-{i:D3}";
                api.Store.Put("deployments", ns, name, version => RealisticDeployments.Json(ns, name, $"ghcr.io/acme/hot-{n}:dev", version));
            }
        }
        Console.WriteLine($"seeded {api.Store.Count:N0} realistic Deployments in {namespaces:N0} namespaces in {seeding.Elapsed.TotalSeconds:F1} s");
        var goList = await ListCostAsync(api);
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        try
        {
            var (ready, rss, peak, firstPatch, lists) = await ClusterWideAsync(dll, redis, api, kubeconfig);
            var perNamespace = await PerNamespaceReadyAsync(dll, redis, kubeconfig, namespaces);
            Console.WriteLine($"{deployments:N0}/{namespaces:N0}: ready {ready.TotalSeconds:F1} s (per namespace {perNamespace.TotalSeconds:F1} s), RSS {rss:F1} MiB (peak {peak:F1}), first PATCH p50 {string.Join(" / ", firstPatch.Select(f => f.ToString("F2", CultureInfo.InvariantCulture)))} ms, {lists} LIST per event, Go LIST {goList.Megabytes:F1} MB in {goList.Milliseconds:F0} ms");
            return new Scale(ready, rss, peak, firstPatch, lists, perNamespace, goList);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    private static async Task<(TimeSpan Ready, double Rss, double Peak, double[] FirstPatch, int Lists)> ClusterWideAsync(string dll, RedisServer redis, FakeKubernetesApi api, string kubeconfig)
    {
        var port = FreePort.Next();
        var started = Stopwatch.StartNew();
        using var worker = ChildProcess.Start("dotnet", [dll, "worker"], WorkerEnvironment(redis, kubeconfig, port));
        await ReadyProbe.WaitAsync(new Uri($"http://127.0.0.1:{port}/readyz"), worker, TimeSpan.FromMinutes(3));
        var ready = started.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var rss = ReadyProbe.StatusMiB(worker.Pid, "VmRSS");
        await using var publisher = await redis.ConnectAsync();
        var firstPatch = new List<double>();
        WorkerLatency.lists = 0;
        var events = 0;
        foreach (var n in new[] { 1, 10, 100 })
        {
            var first = new List<double>();
            for (var run = 0; run < 7; run++)
            {
                var (f, _) = await WorkerLatency.OneEventAsync(api, publisher, $"ghcr.io/acme/hot-{n}", n);
                events++;
                if (run > 0)
                    first.Add(f);
            }
            firstPatch.Add(first.Order().ElementAt(first.Count / 2));
        }
        var peak = ReadyProbe.StatusMiB(worker.Pid, "VmHWM");
        worker.Stop();
        return (ready, rss, peak, [.. firstPatch], WorkerLatency.lists / events);
    }

    private static async Task<TimeSpan> PerNamespaceReadyAsync(string dll, RedisServer redis, string kubeconfig, int namespaces)
    {
        var port = FreePort.Next();
        var environment = WorkerEnvironment(redis, kubeconfig, port);
        environment["ALLOWED_NAMESPACES"] = string.Join(',', Enumerable.Range(0, namespaces).Select(RealisticDeployments.NamespaceName));
        var started = Stopwatch.StartNew();
        using var worker = ChildProcess.Start("dotnet", [dll, "worker"], environment);
        await ReadyProbe.WaitAsync(new Uri($"http://127.0.0.1:{port}/readyz"), worker, TimeSpan.FromMinutes(5));
        var ready = started.Elapsed;
        worker.Stop();
        return ready;
    }

    private static Dictionary<string, string?> WorkerEnvironment(RedisServer redis, string kubeconfig, int port) => new()
    {
        ["VALKEY_ADDR"] = redis.Address,
        ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
        ["KUBECONFIG"] = kubeconfig,
        ["WORKER_HEALTH_ADDR"] = $"127.0.0.1:{port}",
        ["LOG_LEVEL"] = "warn",
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_gcConcurrent"] = "0",
    };

    /// <summary>The Go original's per-event cost on a store of the given shape.</summary>
    private static async Task<ListCost> GoListCostAsync(int deployments, bool realistic, int namespaces)
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        if (realistic)
        {
            RealisticDeployments.Seed(api, deployments, namespaces, i => $"ghcr.io/acme/svc-{i % 2_000:D4}:dev");
        }
        else
        {
            for (var i = 0; i < deployments; i++)
                api.AddDeployment($"team-{i % namespaces:D3}", $"svc-{i:D5}", [$"ghcr.io/acme/svc-{i % 2_000:D4}:dev"]);
        }
        return await ListCostAsync(api);
    }

    /// <summary>One unpaginated cluster-wide LIST, as the Go worker sends per event and tag: bytes and the median time of 5.</summary>
    private static async Task<ListCost> ListCostAsync(FakeKubernetesApi api)
    {
        using var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", FakeKubeRbac.AdminToken);
        var times = new List<double>();
        long bytes = 0;
        for (var i = 0; i < 6; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync("/apis/apps/v1/deployments", HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[81920];
            long read = 0;
            int n;
            while ((n = await body.ReadAsync(buffer)) > 0)
                read += n;
            if (i > 0)
                times.Add(watch.Elapsed.TotalMilliseconds);
            bytes = read;
        }
        return new ListCost(bytes / 1_000_000.0, times.Order().ElementAt(times.Count / 2));
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
