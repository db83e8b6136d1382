using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.Bench;

/// <summary>
/// The memory a waited <c>POST /event?wait=</c> holds in the web process: the published executable (with its wait caps
/// raised out of the way) holds N, then 2N waiting requests from many repositories, and the anonymous RSS (GC heap,
/// pinned buffers, stacks: what a cgroup limit counts and cannot reclaim) is read at idle, at N and at 2N. The cost of
/// one wait is the slope between N and 2N, so start-up and warm-up costs are not in it.
/// </summary>
public static class WaitMemory
{
    public static async Task<int> RunAsync(string[] args)
    {
        var dll = args.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal));
        if (dll is null || !File.Exists(dll))
        {
            Console.Error.WriteLine("usage: wait-memory <path to the published kuberollouttrigger.dll> [--waits N]");
            return 2;
        }
        var waits = args.SkipWhile(a => a != "--waits").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(1000);

        await using var redis = await RedisServer.StartAsync();
        await using var issuer = await OidcIssuer.StartAsync();
        await using var subscriber = await redis.ConnectAsync();
        await subscriber.GetSubscriber().SubscribeAsync(StackExchange.Redis.RedisChannel.Literal("kuberollouttrigger"), (_, _) => { });
        var port = FreePort.Next();
        var settings = WebSettings.For(redis.Address, issuer, port, "warn");
        settings["MAX_WAITS"] = "100000";
        settings["MAX_WAITS_PER_REPOSITORY"] = "100000";
        settings["AUTH_FAILURES_PER_MINUTE"] = "0";
        settings["EVENTS_PER_MINUTE_PER_REPOSITORY"] = "0";
        using var web = ChildProcess.Start("dotnet", [dll, "web"], settings);
        await ReadyProbe.WaitAsync(new Uri($"http://127.0.0.1:{port}/readyz"), web, TimeSpan.FromSeconds(60));
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };
        var tokens = Enumerable.Range(0, 2 * waits).Select(i => issuer.CreateToken(new GitHubTokenClaims { Repository = $"acme/svc-{i % 50:D2}" })).ToList();

        // Warm-up: the code paths of a waited request, jitted and pooled, then answered.
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => PostAsync(client, issuer.CreateToken(), "?wait=1", CancellationToken.None)));
        await Task.Delay(TimeSpan.FromSeconds(5));
        var idle = Anon(web.Pid);

        using var holding = new CancellationTokenSource();
        var held = new List<Task>();
        held.AddRange(tokens.Take(waits).Select(t => PostAsync(client, t, "?wait=900", holding.Token)));
        await WaitingAsync(client, waits);
        var atN = Anon(web.Pid);
        held.AddRange(tokens.Skip(waits).Select(t => PostAsync(client, t, "?wait=900", holding.Token)));
        await WaitingAsync(client, 2 * waits);
        var at2N = Anon(web.Pid);
        var peak = ReadyProbe.StatusMiB(web.Pid, "VmHWM");

        await holding.CancelAsync();
        await Task.WhenAll(held.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        await WaitingAsync(client, 0);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = Anon(web.Pid);

        Console.WriteLine("== wait-memory ==");
        Console.WriteLine($"anonymous RSS: idle {idle:F1} MiB, {waits} waits {atN:F1} MiB, {2 * waits} waits {at2N:F1} MiB, all released {after:F1} MiB; peak RSS {peak:F1} MiB");
        Console.WriteLine($"per wait: {(at2N - atN) * 1024 / waits:F1} KiB (slope from {waits} to {2 * waits}), {(at2N - idle) * 1024 / (2 * waits):F1} KiB (average from idle)");
        web.Stop();
        return 0;
    }

    private static double Anon(int pid) => ReadyProbe.StatusMiB(pid, "RssAnon");

    private static async Task WaitingAsync(HttpClient client, int count)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            var metrics = await client.GetStringAsync("/metrics");
            var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("kuberollouttrigger_events_waiting", StringComparison.Ordinal));
            if (line is not null && double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture) == count)
            {
                await Task.Delay(TimeSpan.FromSeconds(3));
                return;
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"never {count} waiting requests: {line}");
            await Task.Delay(250);
        }
    }

    private static async Task PostAsync(HttpClient client, string token, string query, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/event" + query) { Content = new StringContent("""{"image":"ghcr.io/acme/app","tags":["dev"]}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
