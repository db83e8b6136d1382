using System.Diagnostics;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.Bench;

/// <summary>
/// Starts the published executable in each mode against a real redis-server, an OIDC issuer and the fake API server
/// seeded with N Deployments, and reports the time from process start to /readyz 200 and the RSS at idle.
/// </summary>
public static class FootprintMeasurement
{
    private static string[] s_extra = [];

    public static async Task<int> RunAsync(string[] args)
    {
        var dll = args.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal));
        if (dll is null || !File.Exists(dll))
        {
            Console.Error.WriteLine("usage: footprint <path to the published kuberollouttrigger.dll> [--deployments N]");
            return 2;
        }
        var deployments = args.SkipWhile(a => a != "--deployments").Skip(1).Select(int.Parse).FirstOrDefault(10_000);
        // Extra runtime settings to compare, e.g. --env DOTNET_GCgen0size=0x1000000
        s_extra = [.. args.Select((a, i) => (a, i)).Where(x => x.a == "--env" && x.i + 1 < args.Length).Select(x => args[x.i + 1])];

        await using var redis = await RedisServer.StartAsync();
        await using var issuer = await OidcIssuer.StartAsync();
        await using var api = await FakeKubernetesApi.StartAsync();
        for (var i = 0; i < deployments; i++)
            api.AddDeployment($"team-{i % 500:D3}", $"svc-{i:D5}", [$"ghcr.io/acme/svc-{i % 2_000:D4}:dev"]);
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());

        Console.WriteLine("== footprint ==");
        await MeasureAsync("web", dll, ["web"], new()
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["GITHUB_OIDC_AUDIENCE"] = OidcIssuer.DefaultAudience,
            ["GITHUB_ALLOWED_ORG"] = "acme",
            ["GITHUB_OIDC_ISSUER"] = issuer.Issuer,
            ["LOG_LEVEL"] = "warn",
        }, "WEB_LISTEN_ADDR");
        await MeasureAsync($"worker ({deployments} deployments)", dll, ["worker"], new()
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["KUBECONFIG"] = kubeconfig,
            ["LOG_LEVEL"] = "warn",
        }, "WORKER_HEALTH_ADDR");
        File.Delete(kubeconfig);
        return 0;
    }

    private static async Task MeasureAsync(string name, string dll, string[] args, Dictionary<string, string?> environment, string listenVariable)
    {
        var port = FreePort.Next();
        environment[listenVariable] = $"127.0.0.1:{port}";
        environment["DOTNET_gcServer"] = "0";
        environment["DOTNET_gcConcurrent"] = "0";
        foreach (var setting in s_extra)
            environment[setting[..setting.IndexOf('=', StringComparison.Ordinal)]] = setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..];
        var started = Stopwatch.StartNew();
        using var process = ChildProcess.Start("dotnet", [dll, .. args], environment);
        await ReadyProbe.WaitAsync(new Uri($"http://127.0.0.1:{port}/readyz"), process, TimeSpan.FromSeconds(60));
        var ready = started.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(10));
        var rss = ReadyProbe.StatusMiB(process.Pid, "VmRSS");
        Console.WriteLine($"{name,-28} ready after {ready.TotalMilliseconds:F0} ms, idle RSS {rss:F1} MiB ({Breakdown(process.Pid)})");
        var web = args[0] == "web";
        Figures.Add(web ? "web-ready" : "worker-ready", web ? "Web ready (process start → `/readyz` 200)" : "Worker ready with 10,000 Deployments synced",
            web ? "≤ 1.5 s" : "≤ 3 s", $"{ready.TotalSeconds:F2} s", "", "", web ? "`footprint`" : "`footprint` (one cluster-wide list + watch)");
        Figures.Add(web ? "web-rss" : "worker-rss", web ? "Web RSS idle (outside a container)" : "Worker RSS idle, 10,000 Deployments (outside a container)", "",
            $"{rss:F1} MiB ({Breakdown(process.Pid)})", "", "", "`footprint`, `/proc/<pid>/status` after 10 s idle; the cgroup's figures: `container-memory`");
        process.Stop();
    }

    /// <summary>Anonymous (heap, stacks), file-backed (mapped assemblies, reclaimable) and shared memory of the RSS.</summary>
    private static string Breakdown(int pid) =>
        $"anon {ReadyProbe.StatusMiB(pid, "RssAnon"):F1}, file {ReadyProbe.StatusMiB(pid, "RssFile"):F1}, shmem {ReadyProbe.StatusMiB(pid, "RssShmem"):F1} MiB";
}
