using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.Testing.Redis;
using Kuberollouttrigger.Transport.Publishing;
using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.Worker;

/// <summary>On the collection's redis-server, a channel per test (c1, c2, ...); the restart test has a server of its own.</summary>
[Collection(nameof(WorkerCollection))]
public sealed class ValkeySubscriberTests(SharedServers servers) : IAsyncLifetime
{
    private static readonly WorkloadKey Web = WorkloadKey.Deployment("shop", "web");
    private readonly RedisServer _redis = servers.Redis;
    private ConnectionMultiplexer _publisher = null!;

    public async Task InitializeAsync() => _publisher = await _redis.ConnectAsync();

    public async Task DisposeAsync() => await _publisher.DisposeAsync();

    [Fact]
    public async Task Envelope_from_the_ingress_reaches_the_consumer()
    {
        var restarter = new ScriptedRestarter();
        await using var worker = await SubscriberHost.StartAsync(_redis.Address, "c1", new StaticIndex(Match(Web)), restarter);

        var message = Event();

        // Re-publishing the same event is harmless (same id, handled once) and rides over a slow first delivery.
        await Eventually(async () =>
        {
            await PublishEnvelopeAsync("c1", message);
            return restarter.CallsFor(Web) == 1;
        });
        var took = await Wait.UntilAsync(() => new WorkerRecords(_publisher, "c1").IsHandledAsync(message.EventId), what: "the event handled");
        await Wait.StaysAsync(() => restarter.CallsFor(Web) == 1, took, "one restart");
    }

    [Fact]
    public async Task Raw_event_from_the_Go_original_reaches_the_consumer()
    {
        var restarter = new ScriptedRestarter();
        await using var worker = await SubscriberHost.StartAsync(_redis.Address, "c2", new StaticIndex(Match(Web)), restarter);

        await _publisher.GetSubscriber().PublishAsync(RedisChannel.Literal("c2"), """{"image":"ghcr.io/acme/app","tags":["dev"]}""");

        await Eventually(() => restarter.CallsFor(Web) == 1);
    }

    [Fact]
    public async Task Garbage_and_unknown_messages_are_counted_dead_lettered_and_the_next_message_is_processed()
    {
        var restarter = new ScriptedRestarter();
        await using var worker = await SubscriberHost.StartAsync(_redis.Address, "c3", new StaticIndex(Match(Web)), restarter);
        using var received = worker.Collect("kuberollouttrigger.valkey.messages.received");
        using var unreadable = worker.Collect("kuberollouttrigger.valkey.messages.unreadable");
        using var deadLettered = worker.Collect("kuberollouttrigger.valkey.stream.dead_lettered");
        var subscriber = _publisher.GetSubscriber();

        await subscriber.PublishAsync(RedisChannel.Literal("c3"), "not json at all");
        await subscriber.PublishAsync(RedisChannel.Literal("c3"), new byte[] { 0xff, 0xfe, 0x00 });
        await subscriber.PublishAsync(RedisChannel.Literal("c3"), """{"messageId":"not-a-guid","messageType":["urn:message:X"],"message":{}}""");
        await subscriber.PublishAsync(RedisChannel.Literal("c3"), """{"messageId":"5b4f0f38-1111-4e0f-9c6a-000000000001","messageType":["urn:message:Some.Other:Type"],"message":{"x":1}}""");
        await subscriber.PublishAsync(RedisChannel.Literal("c3"), """{"image":"ghcr.io/acme-evil/app","tags":["dev"]}""");
        await subscriber.PublishAsync(RedisChannel.Literal("c3"), """{"image":"ghcr.io/acme/app","tags":"dev"}""");
        await PublishEnvelopeAsync("c3", Event());

        await Eventually(() => restarter.CallsFor(Web) == 1);
        await Eventually(() => Count(received) == 7 && Count(deadLettered) == 6);
        Assert.Equal(3, Count(unreadable));
        var reasons = (await _publisher.GetDatabase().StreamRangeAsync(StreamNames.For("c3").DeadLetter)).Select(e => (string)e[StreamNames.ReasonField]!).ToList();
        Assert.Equal(6, reasons.Count);
        Assert.Equal(["unreadable: not JSON", "unreadable: not valid UTF-8", "unreadable: envelope without a messageId"], reasons[..3]);
        Assert.All(reasons[3..], r => Assert.Matches("^(refused|failed after its retries): ", r));
    }

    [Fact]
    public async Task Subscription_comes_back_after_Valkey_restarts()
    {
        await using var redis = await RedisServer.StartAsync();
        var restarter = new ScriptedRestarter();
        await using var worker = await SubscriberHost.StartAsync(redis.Address, "c4", new StaticIndex(Match(Web)), restarter);
        Assert.True(worker.Subscription.IsSubscribed);

        redis.Stop();
        await Eventually(() => !worker.Subscription.IsSubscribed);
        await redis.StartAgainAsync();
        await Eventually(() => worker.Subscription.IsSubscribed, TimeSpan.FromSeconds(60));

        await using var publisher = await redis.ConnectAsync();
        var bytes = MessageEnvelopeWriter.Write(Event(), Guid.NewGuid(), new Uri("valkey:test"), new Uri("valkey:channel/c4"));
        await Eventually(async () =>
        {
            await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal("c4"), bytes);
            return restarter.CallsFor(Web) >= 1;
        }, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Three_workers_on_one_channel_restart_each_Deployment_once_per_event()
    {
        var restarter = new ScriptedRestarter();
        var api = WorkloadKey.Deployment("shop", "api");
        await using var a = await SubscriberHost.StartAsync(_redis.Address, "c5", new StaticIndex(Match(Web), Match(api)), restarter);
        await using var b = await SubscriberHost.StartAsync(_redis.Address, "c5", new StaticIndex(Match(Web), Match(api)), restarter);
        await using var c = await SubscriberHost.StartAsync(_redis.Address, "c5", new StaticIndex(Match(Web), Match(api)), restarter);
        using var receivedA = a.Collect("kuberollouttrigger.valkey.messages.received");
        using var receivedB = b.Collect("kuberollouttrigger.valkey.messages.received");
        using var receivedC = c.Collect("kuberollouttrigger.valkey.messages.received");

        var events = Enumerable.Range(0, 5).Select(_ => Event()).ToList();
        foreach (var message in events)
            await PublishEnvelopeAsync("c5", message);

        await Eventually(() => Count(receivedA) == 5 && Count(receivedB) == 5 && Count(receivedC) == 5);
        var records = new WorkerRecords(_publisher, "c5");
        var took = await Wait.UntilAsync(async () => (await Task.WhenAll(events.Select(e => records.IsHandledAsync(e.EventId)))).All(h => h), what: "the five events handled");
        await Wait.StaysAsync(() => restarter.Calls.Count == 10, took, "ten restarts");
        Assert.Equal(5, restarter.CallsFor(Web));
        Assert.Equal(5, restarter.CallsFor(api));
    }

    [Fact]
    public async Task Events_for_the_same_image_run_in_order_and_other_images_run_alongside()
    {
        // The first restart of the image holds until the other image's restart has begun: they can only both finish
        // if the other ran alongside; if it waited, the hold runs out and the first restart fails the test.
        var restarter = new ScriptedRestarter();
        var other = WorkloadKey.Deployment("shop", "other");
        restarter.HoldFirst(Web, until: other);
        var index = new StaticIndex(Match(Web)).With("ghcr.io/acme/other", Match(other));
        await using var worker = await SubscriberHost.StartAsync(_redis.Address, "c6", index, restarter);

        await PublishEnvelopeAsync("c6", Event());
        await PublishEnvelopeAsync("c6", Event());
        await PublishEnvelopeAsync("c6", Event() with { Image = "ghcr.io/acme/other" });

        await Eventually(() => restarter.Timeline.Count == 3);
        var web = restarter.Timeline.Where(t => t.Workload == Web).OrderBy(t => t.Started).ToList();
        var alongside = restarter.Timeline.Single(t => t.Workload == other);
        Assert.Equal(2, web.Count);
        Assert.True(web[1].Started >= web[0].Ended, "the second event for the image started before the first finished");
        Assert.True(alongside.Started < web[0].Ended, "an event for another image waited for an unrelated one");
        Assert.False(restarter.HoldRanOut, "an event for another image waited for an unrelated one");
    }

    private static long Count(MetricCollector<long> counter) => counter.GetMeasurementSnapshot().EvaluateAsCounter();

    private static WorkloadMatch Match(WorkloadKey key) => new(key, null, ["app"]);

    private static ImageUpdated Event() => new(Guid.NewGuid(), "ghcr.io/acme/app", ["dev"], null, DateTimeOffset.UtcNow);

    private async Task PublishEnvelopeAsync(string channel, ImageUpdated message)
    {
        var bytes = MessageEnvelopeWriter.Write(message, message.EventId, new Uri("valkey:test"), new Uri($"valkey:channel/{channel}"));
        await _publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), bytes);
    }

    private static Task Eventually(Func<bool> condition, TimeSpan? timeout = null) => Eventually(() => Task.FromResult(condition()), timeout);

    private static async Task Eventually(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not become true in time");
            await Task.Delay(50);
        }
    }

}
