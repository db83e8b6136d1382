using System.Diagnostics;
using System.Net;
using System.Text;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;
using StackExchange.Redis;

namespace Kuberollouttrigger.Bench;

/// <summary>
/// Load scripts (1) and (2) of docs/performance.md: accepted events per second and latency percentiles at 16 and 64
/// connections with many distinct valid tokens, against the bare-PUBLISH baseline in the same run; then valid events
/// under a flood of 1,000 invalid-token requests per second. The web mode believes X-Forwarded-For from loopback, as
/// behind an ingress controller: the flood comes from one client address, the valid events from another, so the flood
/// spends its failure budget and is answered 429 before JwtBearer runs. Every request carries a fresh single-use token,
/// signed ahead, so every accepted request publishes.
/// </summary>
public static class IngressLoad
{
    private const string Body = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";
    private const string ClientAddress = "198.51.100.1";
    private const string FloodAddress = "203.0.113.7";

    public static async Task<int> RunAsync(string[] args)
    {
        var dll = args.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal));
        if (dll is null || !File.Exists(dll))
        {
            Console.Error.WriteLine("usage: ingress-load <published kuberollouttrigger.dll> [--seconds N] [--warmup N] [--tokens N] [--repeat N] [--connections N] [--env K=V] [--label L] [--no-flood | --flood-only]");
            return 2;
        }
        var seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(int.Parse).FirstOrDefault(10);
        var duration = TimeSpan.FromSeconds(seconds);
        // Runtime settings to compare, e.g. --env DOTNET_gcServer=1 (server GC with DATAS).
        var extra = args.Select((a, i) => (a, i)).Where(x => x.a == "--env" && x.i + 1 < args.Length).Select(x => args[x.i + 1].Split('=', 2)).ToList();

        await using var redis = await RedisServer.StartAsync();
        await using var issuer = await OidcIssuer.StartAsync();
        await using var drain = await redis.ConnectAsync();
        await drain.GetSubscriber().SubscribeAsync(RedisChannel.Literal("kuberollouttrigger"), (_, _) => { });
        // Every accepted request spends a token (the web mode refuses a token's second event and answers its retry
        // from the replay record), so each phase draws fresh ones; a phase that runs out stops early and says so.
        var poolSize = args.SkipWhile(a => a != "--tokens").Skip(1).Select(int.Parse).FirstOrDefault(200_000);
        var signing = Stopwatch.StartNew();
        var tokens = TokenPool.Sign(issuer, poolSize);
        Console.WriteLine($"signed {tokens.Size} single-use RS256 tokens in {signing.Elapsed.TotalSeconds:F1} s");

        var webPort = FreePort.Next();
        var settings = WebSettings.For(redis.Address, issuer, webPort, "error");
        settings["TRUSTED_PROXIES"] = "127.0.0.1";
        // Throughput is measured, not the per-repository budget; the failure budget keeps its default.
        settings["EVENTS_PER_MINUTE_PER_REPOSITORY"] = "0";
        foreach (var setting in extra)
            settings[setting[0]] = setting[1];
        using var web = ChildProcess.Start("dotnet", [dll, "web"], settings);
        var barePort = FreePort.Next();
        using var bare = ChildProcess.Start("dotnet", [typeof(IngressLoad).Assembly.Location, "bare-publish", barePort.ToString(System.Globalization.CultureInfo.InvariantCulture), redis.Address]);
        await ReadyProbe.WaitAsync(new Uri($"http://127.0.0.1:{webPort}/readyz"), web);
        await ReadyProbe.WaitAsync(new Uri($"http://127.0.0.1:{barePort}/readyz"), bare);

        // Warm both servers up (JIT tiering, connection pools) before anything is measured: a pod serves for days, and
        // the web mode has far more code to tier than the bare endpoint (--warmup N seconds for the web mode, default 8).
        var warmUp = args.SkipWhile(a => a != "--warmup").Skip(1).Select(int.Parse).FirstOrDefault(8);
        await RunClosedLoopAsync(barePort, 16, TimeSpan.FromSeconds(5), null);
        await RunClosedLoopAsync(webPort, 16, TimeSpan.FromSeconds(warmUp), tokens.Take);

        Console.WriteLine("== ingress load ==");
        var repeats = args.SkipWhile(a => a != "--repeat").Skip(1).Select(int.Parse).FirstOrDefault(1);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { redis.Address }, AllowAdmin = true });
        var server = admin.GetServer(redis.Address);
        // --connections 64 runs one level only; --label names a variant (e.g. a GC setting) so its rows stand beside the default's.
        var levels = args.SkipWhile(a => a != "--connections").Skip(1).Select(int.Parse).Take(1).DefaultIfEmpty(0).Single() is var only and > 0 ? new[] { only } : [16, 64];
        var label = args.SkipWhile(a => a != "--label").Skip(1).FirstOrDefault();
        var (keySuffix, nameSuffix) = label is null ? ("", "") : ("-" + label.Replace(' ', '-'), $" ({label})");
        foreach (var connections in args.Contains("--flood-only") ? [] : levels)
        {
            var runs = new List<(LoadStats Baseline, LoadStats Ingress, string Commands, string Cost, string BareCost)>();
            for (var run = 0; run < repeats; run++)
            {
                var bareBefore = default(ProcessCpu);
                var baseline = await RunClosedLoopAsync(barePort, connections, duration, null, () => { bareBefore = ProcessCpu.Read(bare.Pid); return Task.CompletedTask; });
                var bareCpu = ProcessCpu.Read(bare.Pid) - bareBefore;
                var before = new Dictionary<string, long>();
                var cpuBefore = default(ProcessCpu);
                var ingress = await RunClosedLoopAsync(webPort, connections, duration, tokens.Take, async () => { before = await CommandsAsync(server); cpuBefore = ProcessCpu.Read(web.Pid); });
                var cpu = ProcessCpu.Read(web.Pid) - cpuBefore;
                var after = await CommandsAsync(server);
                var accepted = (double)Math.Max(1, ingress.Count - ingress.Failures);
                var commands = string.Join(", ", after.Where(c => c.Value > before.GetValueOrDefault(c.Key)).OrderByDescending(c => c.Value - before.GetValueOrDefault(c.Key))
                    .Select(c => $"{c.Key} {(c.Value - before.GetValueOrDefault(c.Key)) / accepted:F2}"));
                runs.Add((baseline, ingress, commands, cpu.PerEvent(ingress.Count), bareCpu.PerEvent(baseline.Count)));
                Console.WriteLine($"bare PUBLISH, {connections,2} conns   {baseline.Summary()}  server {bareCpu.PerEvent(baseline.Count)}");
                Console.WriteLine($"ingress,      {connections,2} conns   {ingress.Summary()}  ratio {ingress.Rate / baseline.Rate:P0}  web {cpu.PerEvent(ingress.Count)}  Valkey commands per accepted event: {commands}  peak RSS {ReadyProbe.StatusMiB(web.Pid, "VmHWM"):F1} MiB");
            }
            var ordered = runs.OrderBy(r => r.Ingress.Rate / r.Baseline.Rate).ToList();
            var median = ordered[ordered.Count / 2];
            var spread = repeats > 1 ? $" (of {repeats} runs: {ordered[0].Ingress.Rate / ordered[0].Baseline.Rate:P0}–{ordered[^1].Ingress.Rate / ordered[^1].Baseline.Rate:P0})" : "";
            Figures.Add($"ingress-{connections}{keySuffix}", $"Ingress accepted events/s, {connections} connections{nameSuffix}",
                connections == 64 ? "≥ 50% of baseline, p99 ≤ 25 ms" : "≥ 40% of baseline",
                $"{median.Ingress.Rate:N0}/s, p99 {median.Ingress.Percentile(99):F1} ms, peak RSS {ReadyProbe.StatusMiB(web.Pid, "VmHWM"):F0} MiB, {median.Cost}; Valkey commands per event {median.Commands}",
                $"bare PUBLISH endpoint {median.Baseline.Rate:N0}/s, {median.BareCost}", $"{median.Ingress.Rate / median.Baseline.Rate:P0}{spread}",
                $"`ingress-load --seconds {seconds}`: a fresh single-use RS256 token per request (signed ahead), after a {warmUp} s warm-up; the median run; CPU per event from `/proc/<pid>/stat`");
        }

        if (args.Contains("--no-flood"))
            return 0;
        var quiet = await RunClosedLoopAsync(webPort, 4, duration, tokens.Take);
        using var flood = new CancellationTokenSource();
        var flooding = FloodAsync(webPort, 1_000, flood.Token);
        var underFlood = await RunClosedLoopAsync(webPort, 4, duration, tokens.Take);
        await flood.CancelAsync();
        var (sent, limited) = await flooding;
        Console.WriteLine($"valid, 4 conns, no flood    {quiet.Summary()}");
        Console.WriteLine($"valid, 4 conns, flood       {underFlood.Summary()}  (+{underFlood.Percentile(99) - quiet.Percentile(99):F1} ms at p99; {sent / duration.TotalSeconds:F0} invalid req/s sent, {limited / (double)Math.Max(1, sent):P0} answered 429)");
        Figures.Add("ingress-flood", "Valid-event p99 under 1,000+ invalid-token req/s", "rises ≤ 100 ms",
            $"{quiet.Percentile(99):F2} → {underFlood.Percentile(99):F2} ms (+{underFlood.Percentile(99) - quiet.Percentile(99):F1} ms)", "same load without flood", "",
            $"`ingress-load`, open-loop flood ({sent / duration.TotalSeconds:F0} req/s sent) from another client address; {limited / (double)Math.Max(1, sent):P0} answered `429` before JwtBearer");
        Console.WriteLine($"web peak RSS                {ReadyProbe.StatusMiB(web.Pid, "VmHWM"):F1} MiB");
        Figures.Add("ingress-peak-rss", "Web RSS peak under the ingress load (outside a container)", "", Figures.Mib(ReadyProbe.StatusMiB(web.Pid, "VmHWM")), "", "", "`ingress-load`, VmHWM; the cgroup's figures: `container-memory`");
        Console.WriteLine($"tokens used                 {tokens.Taken} of {tokens.Size}{(tokens.Taken >= tokens.Size ? " (ran out: the last phase stopped early; raise --tokens)" : "")}");
        return 0;
    }

    /// <summary>Calls per command Valkey has run (INFO commandstats; commands a script runs count under their own names).</summary>
    private static async Task<Dictionary<string, long>> CommandsAsync(IServer server)
    {
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in await server.InfoAsync("commandstats"))
        {
            foreach (var (key, value) in group)
            {
                var calls = value.Split(',').FirstOrDefault(p => p.StartsWith("calls=", StringComparison.Ordinal));
                if (key.StartsWith("cmdstat_", StringComparison.Ordinal) && key != "cmdstat_info" && calls is not null)
                    total[key["cmdstat_".Length..]] = long.Parse(calls["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return total;
    }

    /// <param name="token">null for the bare endpoint (no token); else a fresh token per request, null once none is left.</param>
    internal static async Task<LoadStats> RunClosedLoopAsync(int port, int connections, TimeSpan duration, Func<string?>? token, Func<Task>? afterWarmUp = null)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await LoopAsync(client, connections, TimeSpan.FromSeconds(1), token, new LoadStats());
        if (afterWarmUp is not null)
            await afterWarmUp();
        var stats = new LoadStats();
        var started = Stopwatch.GetTimestamp();
        await LoopAsync(client, connections, duration, token, stats);
        stats.Elapsed = Stopwatch.GetElapsedTime(started);
        return stats;
    }

    private static async Task LoopAsync(HttpClient client, int connections, TimeSpan duration, Func<string?>? token, LoadStats stats)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var t = token?.Invoke();
                if (token is not null && t is null)
                    return;
                var started = Stopwatch.GetTimestamp();
                using var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
                if (t is not null)
                {
                    request.Headers.Authorization = new("Bearer", t);
                    request.Headers.Add("X-Forwarded-For", ClientAddress);
                }
                using var response = await client.SendAsync(request);
                stats.Add(started, response.StatusCode == HttpStatusCode.Accepted);
            }
        }));
    }

    /// <summary>Open-loop flood of bad-signature tokens at <paramref name="perSecond"/>; returns how many were sent and how many got 429.</summary>
    internal static async Task<(int Sent, int Limited)> FloodAsync(int port, int perSecond, CancellationToken stop)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 32 };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        const string bad = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImtleS0xIn0.eyJyZXBvc2l0b3J5X293bmVyIjoiYWNtZSJ9.c2lnbmF0dXJl";
        var sent = 0;
        var limited = 0;
        var inFlight = new List<Task>();
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var next = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
            inFlight.Add(Task.Run(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
                request.Headers.Authorization = new("Bearer", bad);
                request.Headers.Add("X-Forwarded-For", FloodAddress);
                using var response = await client.SendAsync(request, CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    Interlocked.Increment(ref limited);
            }, CancellationToken.None));
            sent++;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.FromMilliseconds(1))
                await Task.Delay(wait, CancellationToken.None);
            inFlight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inFlight);
        return (sent, limited);
    }
}
