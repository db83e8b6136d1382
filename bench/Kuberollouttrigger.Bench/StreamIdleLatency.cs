using System.Diagnostics;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;
using Kuberollouttrigger.Transport.Publishing;
using Kuberollouttrigger.Transport.Streams;
using StackExchange.Redis;

namespace Kuberollouttrigger.Bench;

/// <summary>
/// DELIVERY_MODE=stream, idle worker: time from XADD to the PATCH at the fake API, with the web mode's wake-up
/// PUBLISH after the XADD and without it (the worker then finds the entry on its next poll, at most 1 s apart).
/// Each event follows 2.5 to 3.5 s of silence, so the worker's poll interval has grown to its maximum.
/// </summary>
public static class StreamIdleLatency
{
    private const string Channel = "kuberollouttrigger";

    public static async Task<int> RunAsync(string[] args)
    {
        var dll = args.FirstOrDefault(a => a.EndsWith(".dll", StringComparison.Ordinal));
        if (dll is null || !File.Exists(dll))
        {
            Console.Error.WriteLine("usage: stream-latency <published kuberollouttrigger.dll>");
            return 2;
        }

        await using var redis = await RedisServer.StartAsync();
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        var healthPort = FreePort.Next();
        using var worker = ChildProcess.Start("dotnet", [dll, "worker"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["KUBECONFIG"] = kubeconfig,
            ["WORKER_HEALTH_ADDR"] = $"127.0.0.1:{healthPort}",
            ["LOG_LEVEL"] = "warn",
            ["DELIVERY_MODE"] = "stream",
        });
        await ReadyProbe.WaitAsync(new Uri($"http://127.0.0.1:{healthPort}/readyz"), worker, TimeSpan.FromSeconds(60));
        await using var publisher = await redis.ConnectAsync();
        var names = StreamNames.For(Channel);

        Console.WriteLine("== stream delivery, idle worker: XADD -> PATCH ==");
        var figures = new Dictionary<bool, string>();
        foreach (var wake in new[] { true, false })
        {
            var samples = new List<double>();
            for (var run = 0; run < 16; run++)
            {
                // A random extra pause, so the events do not fall in step with the worker's poll.
                await Task.Delay(2_500 + Random.Shared.Next(1_000));
                var ms = await OneEventAsync(api, publisher, names, wake);
                if (run > 0)
                    samples.Add(ms);
            }
            samples.Sort();
            Console.WriteLine($"  wake-up {(wake ? "on " : "off")}: p50 {samples[samples.Count / 2],7:F1} ms, p90 {samples[(int)(samples.Count * 0.9)],7:F1} ms, max {samples[^1],7:F1} ms");
            figures[wake] = $"p50 {samples[samples.Count / 2]:F1} ms, p90 {samples[(int)(samples.Count * 0.9)]:F1} ms, max {samples[^1]:F1} ms";
        }
        Figures.Add("stream-idle", "`DELIVERY_MODE=stream`, idle worker: XADD → PATCH, with the wake-up PUBLISH", "", figures[true],
            "polling alone: " + figures[false], "", "`stream-latency`, 1 Deployment, 15 events each after 2.5–3.5 s idle");
        worker.Stop();
        File.Delete(kubeconfig);
        return 0;
    }

    private static async Task<double> OneEventAsync(FakeKubernetesApi api, ConnectionMultiplexer publisher, StreamNames names, bool wake)
    {
        api.ClearRequests();
        var message = new ImageUpdated(Guid.NewGuid(), "ghcr.io/acme/app", ["dev"], null, DateTimeOffset.UtcNow);
        var body = MessageEnvelopeWriter.Write(message, message.EventId, new Uri("valkey:bench"), new Uri("valkey:stream/" + names.Stream));
        var db = publisher.GetDatabase();
        var sent = DateTimeOffset.UtcNow;
        var id = await db.StreamAddAsync(names.Stream, [new NameValueEntry(StreamNames.BodyField, body), new NameValueEntry(StreamNames.ContentTypeField, MessageEnvelopeWriter.ContentType)]);
        if (wake)
            await publisher.GetSubscriber().PublishAsync(names.WakeChannel, id);
        var deadline = Stopwatch.StartNew();
        RecordedRequest? patch;
        while ((patch = api.Requests.FirstOrDefault(r => r.IsPatch && r.Status == 200)) is null)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException("the PATCH never arrived");
            await Task.Delay(1);
        }
        return (patch.At - sent).TotalMilliseconds;
    }
}
