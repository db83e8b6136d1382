using System.Globalization;
using System.Text.RegularExpressions;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Testing.Docker;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;
using Kuberollouttrigger.Transport.Publishing;
using StackExchange.Redis;

namespace Kuberollouttrigger.Bench;

/// <summary>
/// Memory of each mode in a real cgroup at the chart's limit: the image runs under <c>docker run --memory=LIMIT</c>
/// (read-only root, tmpfs /tmp, no capabilities, host network on loopback ports) against redis-server, the OIDC issuer
/// and the fake API on the host. Web: idle, then the ingress load of <see cref="IngressLoad"/> (16 and 64 connections,
/// then an invalid-token flood). Worker: 10,000 Deployments synced, then events matching 100 Deployments. Reports
/// from the container's cgroup the idle working set, the peak working set seen while sampling, the peak usage
/// (memory.max_usage_in_bytes or memory.peak, page cache included) and OOM kills; prints the rows of the table in
/// docs/performance.md.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static partial class ContainerMemoryMeasurement
{
    private static string[] s_extraEnvironment = [];
    private static string? s_label;
    private static int s_tokens = 150_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var image = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        if (image is null)
        {
            Console.Error.WriteLine("usage: container-memory <image> [--values deploy/helm/kuberollouttrigger/values.yaml] [--web-memory 256Mi] [--worker-memory 256Mi] [--seconds 5]");
            return 2;
        }
        var values = Option(args, "--values") ?? "deploy/helm/kuberollouttrigger/values.yaml";
        var webLimit = Option(args, "--web-memory") ?? ChartLimit(values, "web");
        var workerLimit = Option(args, "--worker-memory") ?? ChartLimit(values, "worker");
        var seconds = int.Parse(Option(args, "--seconds") ?? "5", CultureInfo.InvariantCulture);

        // Experiments: --env KEY=VALUE (repeatable) for both modes, --label to name the run, --only web|worker,
        // --deployments N (and --realistic for ~8 KB objects) for the worker.
        s_extraEnvironment = [.. args.Select((a, i) => (a, i)).Where(x => x.a == "--env" && x.i + 1 < args.Length).SelectMany(x => new[] { "-e", args[x.i + 1] })];
        s_label = Option(args, "--label");
        s_tokens = int.Parse(Option(args, "--tokens") ?? "150000", CultureInfo.InvariantCulture);
        var only = Option(args, "--only");
        var deployments = int.Parse(Option(args, "--deployments") ?? "10000", CultureInfo.InvariantCulture);
        var realistic = args.Contains("--realistic");

        Console.WriteLine($"== memory in a container ({image}{(s_label is null ? "" : ", " + s_label)}) ==");
        var web = only is null or "web" ? await MeasureWebAsync(image, webLimit, TimeSpan.FromSeconds(seconds)) : null;
        var worker = only is null or "worker" ? await MeasureWorkerAsync(image, workerLimit, deployments, realistic) : null;
        Console.WriteLine("| Mode | Load | Limit (`docker run --memory`) | Idle working set | Idle RSS anon / file / shmem | Peak working set | Peak usage | OOM kills |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        if (web is not null)
            Console.WriteLine(web);
        if (worker is not null)
            Console.WriteLine(worker);
        return 0;
    }

    private static async Task<string> MeasureWebAsync(string image, string limit, TimeSpan phase)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var issuer = await OidcIssuer.StartAsync();
        await using var drain = await redis.ConnectAsync();
        await drain.GetSubscriber().SubscribeAsync(RedisChannel.Literal("kuberollouttrigger"), (_, _) => { });
        var tokens = TokenPool.Sign(issuer, s_tokens);
        var port = FreePort.Next();
        await using var web = await DockerContainer.RunAsync(DockerContainer.UniqueName("bench-web"), [.. LockedDown(limit),
            "-e", $"VALKEY_ADDR={redis.Address}", "-e", "ALLOWED_IMAGE_PREFIX=ghcr.io/acme", "-e", $"GITHUB_OIDC_AUDIENCE={OidcIssuer.DefaultAudience}",
            "-e", "GITHUB_ALLOWED_ORG=acme", "-e", $"GITHUB_OIDC_ISSUER={issuer.Issuer}", "-e", $"WEB_LISTEN_ADDR=127.0.0.1:{port}",
            "-e", "LOG_LEVEL=error", "-e", "TRUSTED_PROXIES=127.0.0.1", "-e", "EVENTS_PER_MINUTE_PER_REPOSITORY=0", .. s_extraEnvironment, image, "web"]);
        var cgroup = ContainerMemory.CgroupDirectory(web.Id);
        await ReadyProbe.WaitAsync(new Uri($"http://127.0.0.1:{port}/readyz"), timeout: TimeSpan.FromSeconds(60));
        var idle = await IdleAsync(cgroup);
        var split = await SplitAsync(web);

        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(cgroup, sampling.Token);
        var accepted = 0;
        foreach (var connections in new[] { 16, 64 })
        {
            var stats = await IngressLoad.RunClosedLoopAsync(port, connections, phase, tokens.Take);
            accepted += stats.Count - stats.Failures;
            Console.WriteLine($"web, {connections} connections: {stats.Summary()}");
        }
        using (var flood = new CancellationTokenSource())
        {
            var flooding = IngressLoad.FloodAsync(port, 1_000, flood.Token);
            var underFlood = await IngressLoad.RunClosedLoopAsync(port, 4, phase, tokens.Take);
            await flood.CancelAsync();
            var (sent, _) = await flooding;
            Console.WriteLine($"web, 4 connections under a flood of {sent} invalid requests: {underFlood.Summary()}");
        }
        await sampling.CancelAsync();
        var peakWorkingSet = await sampler;
        var end = ContainerMemory.Read(cgroup);
        Console.WriteLine($"web: {tokens.Taken} tokens used; after the load usage {ContainerMemory.MiB(end.UsageBytes):F1} MiB, working set {ContainerMemory.MiB(end.WorkingSetBytes):F1} MiB");
        return Row("web", $"ingress load: 16 and 64 connections, {phase.TotalSeconds:F0} s each, then 1,000 invalid req/s", limit, idle, split, peakWorkingSet, end);
    }

    private static async Task<string> MeasureWorkerAsync(string image, string limit, int deployments, bool realistic)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var api = await FakeKubernetesApi.StartAsync();
        api.BookmarkInterval = TimeSpan.FromMinutes(1);
        if (realistic)
        {
            RealisticDeployments.Seed(api, deployments, Math.Max(1, deployments / 50), i => $"ghcr.io/acme/svc-{i % 2_000:D4}:dev");
        }
        else
        {
            for (var i = 0; i < deployments; i++)
                api.AddDeployment($"team-{i % 500:D3}", $"svc-{i:D5}", [$"ghcr.io/acme/svc-{i % 2_000:D4}:dev"]);
        }
        for (var i = 0; i < 100; i++)
            api.AddDeployment($"team-{i * 7 % 500:D3}", $"hot-{i:D3}", ["ghcr.io/acme/hot:dev"]);
        var directory = Directory.CreateTempSubdirectory("krt-bench-");
        File.SetUnixFileMode(directory.FullName, (UnixFileMode)0b111_101_101);
        var kubeconfig = Path.Combine(directory.FullName, "kubeconfig.yaml");
        File.Move(api.WriteKubeconfig(directory.FullName), kubeconfig);
        File.SetUnixFileMode(kubeconfig, (UnixFileMode)0b110_100_100);
        var port = FreePort.Next();
        try
        {
            await using var worker = await DockerContainer.RunAsync(DockerContainer.UniqueName("bench-worker"), [.. LockedDown(limit),
                "-v", $"{directory.FullName}:/kube:ro", "-e", "KUBECONFIG=/kube/kubeconfig.yaml", "-e", $"VALKEY_ADDR={redis.Address}",
                "-e", "ALLOWED_IMAGE_PREFIX=ghcr.io/acme", "-e", $"WORKER_HEALTH_ADDR=127.0.0.1:{port}", "-e", "LOG_LEVEL=warn", .. s_extraEnvironment, image, "worker"]);
            var cgroup = ContainerMemory.CgroupDirectory(worker.Id);
            await ReadyProbe.WaitAsync(new Uri($"http://127.0.0.1:{port}/readyz"), timeout: TimeSpan.FromSeconds(240));
            var idle = await IdleAsync(cgroup);
            var split = await SplitAsync(worker);

            using var sampling = new CancellationTokenSource();
            var sampler = SampleAsync(cgroup, sampling.Token);
            await using var publisher = await redis.ConnectAsync();
            for (var run = 0; run < 5; run++)
            {
                api.ClearRequests();
                var message = new ImageUpdated(Guid.NewGuid(), "ghcr.io/acme/hot", ["dev"], null, DateTimeOffset.UtcNow);
                var body = MessageEnvelopeWriter.Write(message, message.EventId, new Uri("valkey:bench"), new Uri("valkey:channel/kuberollouttrigger"));
                await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal("kuberollouttrigger"), body);
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (api.Requests.Count(r => r.IsPatch && r.Status == 200) < 100)
                {
                    if (DateTime.UtcNow > deadline)
                        throw new TimeoutException($"the worker patched {api.Requests.Count(r => r.IsPatch)} of 100 Deployments:\n{await worker.LogsAsync()}");
                    await Task.Delay(10);
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
            await sampling.CancelAsync();
            var peakWorkingSet = await sampler;
            return Row("worker", $"{deployments:N0} {(realistic ? "realistic " : "")}Deployments synced, then 5 events matching 100", limit, idle, split, peakWorkingSet, ContainerMemory.Read(cgroup));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string[] LockedDown(string limit) =>
        ["--network", "host", $"--memory={limit.Replace("Mi", "m", StringComparison.Ordinal)}", $"--memory-swap={limit.Replace("Mi", "m", StringComparison.Ordinal)}",
            "--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL", "--security-opt", "no-new-privileges"];

    /// <summary>The working set after 10 s of quiet.</summary>
    private static async Task<ContainerMemory> IdleAsync(string cgroup)
    {
        await Task.Delay(TimeSpan.FromSeconds(10));
        return ContainerMemory.Read(cgroup);
    }

    /// <summary>The largest working set sampled every 100 ms until cancelled.</summary>
    private static async Task<long> SampleAsync(string cgroup, CancellationToken stop)
    {
        long peak = 0;
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, ContainerMemory.Read(cgroup).WorkingSetBytes);
            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return Math.Max(peak, ContainerMemory.Read(cgroup).WorkingSetBytes);
    }

    private static string Row(string mode, string load, string limit, ContainerMemory idle, RssSplit split, long peakWorkingSet, ContainerMemory end)
    {
        var suffix = s_label is null ? "" : $" ({s_label})";
        var key = s_label is null ? "" : "-" + s_label.Replace(' ', '-');
        var web = mode == "web";
        Figures.Add($"container-{mode}-idle{key}", $"{(web ? "Web" : "Worker")} idle working set in a container{(web ? "" : $", {load[..load.IndexOf(" synced", StringComparison.Ordinal)]}")}{suffix}",
            web ? "≤ 80 MiB; anon + shmem ≤ 48 MiB" : "≤ 96 MiB at 10,000 Deployments, ≤ 256 MiB at 100,000; anon + shmem ≤ 48 MiB", $"{ContainerMemory.MiB(idle.WorkingSetBytes):F1} MiB; RSS anon {split.Anon:F1} / file {split.File:F1} / shmem {split.Shmem:F1} MiB (anon + shmem {split.Anon + split.Shmem:F1})",
            "", "", $"`container-memory`: `docker run --memory={limit}` (the chart's limit), cgroup usage less inactive file after 10 s idle; RSS of the container's process from `/proc`");
        Figures.Add($"container-{mode}-peak{key}", $"{(web ? "Web" : "Worker")} peak in a container under {load}{suffix}", web ? "≤ 128 MiB, no OOM kill" : "no OOM kill",
            $"working set {ContainerMemory.MiB(peakWorkingSet):F1} MiB, usage {ContainerMemory.MiB(end.PeakBytes):F1} MiB, {end.OomKills} OOM kills", "", "",
            $"`container-memory`, limit {limit}: working set sampled every 100 ms, peak usage as the kernel recorded it (page cache included)");
        return string.Create(CultureInfo.InvariantCulture,
            $"| {mode}{suffix} | {load} | {limit} | {ContainerMemory.MiB(idle.WorkingSetBytes):F1} MiB | {split.Anon:F1} / {split.File:F1} / {split.Shmem:F1} MiB | {ContainerMemory.MiB(peakWorkingSet):F1} MiB | {ContainerMemory.MiB(end.PeakBytes):F1} MiB | {end.OomKills} |");
    }

    private sealed record RssSplit(double Anon, double File, double Shmem);

    /// <summary>The RSS of the container's process split into anonymous, file-backed and shared memory, read from the host's /proc.</summary>
    private static async Task<RssSplit> SplitAsync(DockerContainer container)
    {
        var pid = int.Parse((await container.InspectAsync("{{.State.Pid}}")).Trim(), CultureInfo.InvariantCulture);
        return new RssSplit(ReadyProbe.StatusMiB(pid, "RssAnon"), ReadyProbe.StatusMiB(pid, "RssFile"), ReadyProbe.StatusMiB(pid, "RssShmem"));
    }

    private static string? Option(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    /// <summary>resources.limits.memory of a mode in the chart's values.yaml (the line after "limits:" under "MODE:").</summary>
    private static string ChartLimit(string valuesFile, string mode)
    {
        var text = File.ReadAllText(valuesFile);
        var section = text[text.IndexOf($"\n{mode}:\n", StringComparison.Ordinal)..];
        return LimitLine().Match(section).Groups[1].Value;
    }

    [GeneratedRegex(@"\n  resources:\n(?:    .*\n)*?    limits: \{cpu: [^,]+, memory: ([0-9]+Mi)\}")]
    private static partial Regex LimitLine();
}
