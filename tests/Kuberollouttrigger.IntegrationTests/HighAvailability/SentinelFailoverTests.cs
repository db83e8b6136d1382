using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Kuberollouttrigger.IntegrationTests.Collections;
using Kuberollouttrigger.Testing.Redis;
using Xunit.Abstractions;

namespace Kuberollouttrigger.IntegrationTests.HighAvailability;

/// <summary>
/// The product on a real Sentinel-managed Valkey (a primary, a replica, three Sentinels; passwords on all of them):
/// the test sends a stream of events, one workload per event, kills the primary by pid in the middle of it and keeps
/// sending until the web mode accepts again. Every event answered 202 must restart its workload exactly once, every
/// other answer must be 503 (nothing was promised), and the worker must be ready within 10 s of the promotion.
/// </summary>
[Collection(nameof(HighAvailabilityCollection))]
public sealed class SentinelFailoverTests(ITestOutputHelper output)
{
    private const int Workloads = 400;

    /// <summary>The worker's production retry settings: a failover outlasts the quick ones the other tests use.</summary>
    private static readonly Dictionary<string, string?> ProductionRetries = new()
    {
        ["Rollout:RetryMinInterval"] = "00:00:00.200",
        ["Rollout:RetryMaxInterval"] = "00:00:30",
        ["Rollout:RetryJitter"] = "00:00:00.500",
        ["Delivery:ClaimIdle"] = "00:00:03",
    };

    [Theory]
    [InlineData("pubsub")]
    [InlineData("stream")]
    public async Task Killing_the_primary_loses_no_accepted_event_and_the_worker_is_ready_within_10_s_of_the_promotion(string mode)
    {
        await using var sentinels = await RedisSentinelSet.StartAsync();
        await using var issuer = await Testing.Oidc.OidcIssuer.StartAsync();
        var valkey = new Dictionary<string, string?>
        {
            ["Valkey:Address"] = sentinels.SentinelAddresses,
            ["Valkey:SentinelMaster"] = RedisSentinelSet.ServiceName,
            ["Valkey:Password"] = sentinels.Password,
            ["Delivery:Mode"] = mode,
        };
        await using var stack = await HaStack.StartAsync(issuer, "failover-" + mode, valkey, ProductionRetries,
            setUp: api => Enumerable.Range(0, Workloads).ToList().ForEach(i => api.AddDeployment("load", Name(i), [$"ghcr.io/acme/app:{Name(i)}"])));

        var answers = new List<Answer>();
        var origin = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        TimeSpan? killedAt = null;
        Task<DateTimeOffset>? announced = null;
        ReadinessSampler? readiness = null;
        using var stopSampling = new CancellationTokenSource();
        for (var i = 0; i < Workloads; i++)
        {
            var answer = await SendAsync(stack, i, clock);
            answers.Add(answer);
            if (killedAt is null && answers.Count(a => a.Status == HttpStatusCode.Accepted) == 10)
            {
                announced = await sentinels.WatchPromotionAsync();
                sentinels.KillPrimary();
                killedAt = clock.Elapsed;
                readiness = ReadinessSampler.Start(stack, clock, stopSampling.Token);
            }
            // Over from both sides: the promotion is known, the worker answered ready after it, and ten more events
            // sent after that were accepted.
            if (announced is { IsCompletedSuccessfully: true } && readiness!.ReadyAfter(PromotedAt(await announced - origin, answers, killedAt)) is { } ready
                && answers.Count(a => a.Status == HttpStatusCode.Accepted && a.SentAt > ready) >= 10)
                break;
            await Task.Delay(25);
        }
        Assert.NotNull(announced);
        var announcedAt = await announced.WaitAsync(TimeSpan.FromSeconds(60)) - origin;
        // The events may run out before the worker answers ready (a busy machine): keep sampling until it does, then
        // judge the time it took against the bound below.
        await Wait.UntilAsync(() => readiness!.ReadyAfter(PromotedAt(announcedAt, answers, killedAt)) is not null, TimeSpan.FromSeconds(60),
            "the worker ready after the promotion");
        await stopSampling.CancelAsync();
        await readiness!.Completion;
        var promotedAt = PromotedAt(announcedAt, answers, killedAt);
        var acceptingAt = answers.FirstOrDefault(a => a.Status == HttpStatusCode.Accepted && a.SentAt > killedAt)?.AnsweredAt;
        var readyAt = readiness.ReadyAfter(promotedAt);
        var notReadyAt = readiness.FirstNotReady;
        Assert.True(readyAt is not null, "the worker never answered ready after the promotion");

        var accepted = answers.Where(a => a.Status == HttpStatusCode.Accepted).ToList();
        var took = await Wait.UntilAsync(() => accepted.All(a => stack.Restarts().Contains("load/" + Name(a.Index))), TimeSpan.FromSeconds(120),
            "every accepted event's restart");
        // Completion signal seen. A duplicate (a redelivered or claimed entry, a retry) would come within the claim idle
        // time, so nothing may restart twice for at least twice that.
        var claimIdle = TimeSpan.Parse(ProductionRetries["Delivery:ClaimIdle"]!, CultureInfo.InvariantCulture);
        // Watched here rather than with Wait.StaysAsync so that the figures are written also when one shows up.
        var quiet = Stopwatch.StartNew();
        while (quiet.Elapsed < (took > 2 * claimIdle ? took : 2 * claimIdle) && stack.Restarts().Count == stack.Restarts().Distinct().Count())
            await Task.Delay(25);
        var restarts = stack.Restarts().GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        var during = answers.Where(a => a.SentAt >= killedAt && a.SentAt <= Max(acceptingAt, readyAt)).ToList();
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"{mode}: sent {answers.Count} ({during.Count} during the failover, kill to accepting again and worker ready), accepted {accepted.Count} ({during.Count(a => a.Status == HttpStatusCode.Accepted)} during), " +
            $"refused {answers.Count - accepted.Count} ({string.Join(", ", answers.Where(a => a.Status != HttpStatusCode.Accepted).GroupBy(a => (int)a.Status).Select(g => $"{g.Count()}x{g.Key}"))}), " +
            $"restarted {restarts.Count} (of them refused but stored: {answers.Count(a => a.Status != HttpStatusCode.Accepted && restarts.ContainsKey("load/" + Name(a.Index)))}), " +
            $"lost {accepted.Count(a => !restarts.ContainsKey("load/" + Name(a.Index)))}; promoted {(promotedAt - killedAt)!.Value.TotalSeconds:F1} s after the kill " +
            $"(Sentinels announced it {(announcedAt - killedAt)!.Value.TotalSeconds:F1} s after), web accepting again {(acceptingAt - killedAt)?.TotalSeconds:F1} s after the kill, " +
            $"worker not ready {(notReadyAt - killedAt)?.TotalSeconds:F1} s after the kill and ready again {(readyAt - promotedAt)!.Value.TotalSeconds:F1} s after the promotion");
        output.WriteLine(figures);

        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Accepted), a => Assert.True(a.Status == HttpStatusCode.ServiceUnavailable && a.RetryAfter is not null,
            $"event {a.Index}: {(int)a.Status} {a.Body}"));
        Assert.All(accepted, a => Assert.Equal(1, restarts.GetValueOrDefault("load/" + Name(a.Index))));
        Assert.All(restarts, r => Assert.True(r.Value == 1, $"{r.Key} restarted {r.Value} times"));
        Assert.True(readyAt - promotedAt < TimeSpan.FromSeconds(10), figures);
        // No assertion that some request was refused: when the promotion comes between two requests, none is, and
        // every guarantee above still holds. The figures say how many were.
    }

    private static string Name(int index) => "e" + index.ToString("D3", CultureInfo.InvariantCulture);

    private static async Task<Answer> SendAsync(HaStack stack, int index, Stopwatch clock)
    {
        var sentAt = clock.Elapsed;
        var (response, body) = await stack.PostAsync($$"""{"image":"ghcr.io/acme/app","tags":["{{Name(index)}}"]}""");
        using (response)
        {
            Guid? eventId = response.StatusCode == HttpStatusCode.Accepted ? JsonDocument.Parse(body).RootElement.GetProperty("eventId").GetGuid() : null;
            return new Answer(index, sentAt, clock.Elapsed, response.StatusCode, response.Headers.RetryAfter?.Delta, eventId, body);
        }
    }

    /// <summary>
    /// When the replica became the primary: the Sentinels' announcement, or the first event the web mode stored after
    /// the kill if that came first (a Sentinel announces a promotion only once it has seen the replica's new role).
    /// </summary>
    private static TimeSpan PromotedAt(TimeSpan announced, List<Answer> answers, TimeSpan? killedAt) =>
        answers.FirstOrDefault(a => a.Status == HttpStatusCode.Accepted && a.SentAt > killedAt) is { } first && first.AnsweredAt < announced
            ? first.AnsweredAt
            : announced;

    /// <summary>The worker's /readyz, asked every 50 ms from the kill until the test stops it.</summary>
    private sealed class ReadinessSampler
    {
        private readonly List<(TimeSpan At, bool Ready)> _samples = [];

        private ReadinessSampler()
        {
        }

        public Task Completion { get; private set; } = Task.CompletedTask;

        public TimeSpan? FirstNotReady
        {
            get
            {
                lock (_samples)
                    return _samples.Where(s => !s.Ready).Select(s => (TimeSpan?)s.At).FirstOrDefault();
            }
        }

        public static ReadinessSampler Start(HaStack stack, Stopwatch clock, CancellationToken stop)
        {
            var sampler = new ReadinessSampler();
            sampler.Completion = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var askedAt = clock.Elapsed;
                    bool ready;
                    try
                    {
                        using var response = await stack.Worker.Client.GetAsync("/readyz", CancellationToken.None);
                        ready = response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        ready = false;
                    }
                    lock (sampler._samples)
                        sampler._samples.Add((askedAt, ready));
                    await Task.Delay(50, CancellationToken.None);
                }
            }, CancellationToken.None);
            return sampler;
        }

        /// <summary>The first ready answer asked for at or after <paramref name="moment"/>, if one came yet.</summary>
        public TimeSpan? ReadyAfter(TimeSpan moment)
        {
            lock (_samples)
                return _samples.Where(s => s.Ready && s.At >= moment).Select(s => (TimeSpan?)s.At).FirstOrDefault();
        }
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a > b ? a : b ?? a;

    private sealed record Answer(int Index, TimeSpan SentAt, TimeSpan AnsweredAt, HttpStatusCode Status, TimeSpan? RetryAfter, Guid? EventId, string Body);
}
