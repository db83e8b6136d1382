using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Messaging;
using Kuberollouttrigger.Testing.Redis;
using Kuberollouttrigger.Transport;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuberollouttrigger.IntegrationTests.Worker;

/// <summary>
/// The consumer pipeline under MassTransit's test harness, over the production registration
/// (<see cref="RolloutMessaging"/>), with a real redis-server for the idempotency claims.
/// </summary>
[Collection(nameof(WorkerCollection))]
public sealed class ConsumerHarnessTests(SharedServers servers)
{
    private static readonly WorkloadKey Web = WorkloadKey.Deployment("shop", "web");
    private static readonly WorkloadKey Api = WorkloadKey.Deployment("shop", "api");
    private static readonly WorkloadKey Pinned = WorkloadKey.Deployment("shop", "pinned");
    private readonly RedisServer _redis = servers.Redis;

    [Fact]
    public async Task Restarts_each_matching_Deployment_once_and_leaves_skipped_ones_alone()
    {
        var restarter = new ScriptedRestarter();
        await using var provider = Build(restarter, Match(Web), Match(Api), Match(Pinned, WorkloadOutcome.SkippedDigest));
        var harness = await StartAsync(provider);

        var message = Event();
        await harness.Bus.Publish(message, c => c.MessageId = message.EventId);

        var took = await provider.HandledAsync(message.EventId);
        await Wait.StaysAsync(() => restarter.Calls.Count == 2 && harness.Faults() == 0, took, "two restarts, no fault");
        Assert.Equal(1, restarter.CallsFor(Web));
        Assert.Equal(1, restarter.CallsFor(Api));
        Assert.Equal(0, restarter.CallsFor(Pinned));
        Assert.All(restarter.Audits, audit => Assert.Equal(new RestartAudit(message.EventId, "acme/app", "abc", "1"), audit));
    }

    [Fact]
    public async Task Transient_failure_is_retried_without_restarting_the_others_again()
    {
        var restarter = new ScriptedRestarter();
        restarter.Script(Web, () => throw new TransientKubernetesException("429") { StatusCode = 429 }, () => WorkloadOutcome.Restarted);
        await using var provider = Build(restarter, Match(Web), Match(Api));
        var harness = await StartAsync(provider);

        var message = Event();
        await harness.Bus.Publish(message, c => c.MessageId = message.EventId);

        var took = await provider.HandledAsync(message.EventId);
        await Wait.StaysAsync(() => restarter.Calls.Count == 3 && harness.Faults() == 0, took, "three restart calls, no fault");
        Assert.Equal(2, restarter.CallsFor(Web));
        Assert.Equal(1, restarter.CallsFor(Api));
    }

    [Fact]
    public async Task Forbidden_is_an_outcome_not_retried_and_the_others_still_restart()
    {
        var restarter = new ScriptedRestarter();
        restarter.Script(Web, () => WorkloadOutcome.Forbidden, () => WorkloadOutcome.Restarted);
        restarter.Script(Api, () => WorkloadOutcome.NotFound, () => WorkloadOutcome.Restarted);
        var other = WorkloadKey.Deployment("shop", "other");
        await using var provider = Build(restarter, Match(Web), Match(Api), Match(other));
        var harness = await StartAsync(provider);

        var message = Event();
        await harness.Bus.Publish(message, c => c.MessageId = message.EventId);

        var took = await provider.HandledAsync(message.EventId);
        await Wait.StaysAsync(() => restarter.Calls.Count == 3 && harness.Faults() == 0, took, "three restart calls, no fault");
        Assert.Equal(1, restarter.CallsFor(Web));
        Assert.Equal(1, restarter.CallsFor(Api));
        Assert.Equal(1, restarter.CallsFor(other));
    }

    [Fact]
    public async Task Duplicate_message_id_is_processed_once()
    {
        var restarter = new ScriptedRestarter();
        await using var provider = Build(restarter, Match(Web));
        var harness = await StartAsync(provider);

        var message = Event();
        await harness.Bus.Publish(message, c => c.MessageId = message.EventId);
        var took = await provider.HandledAsync(message.EventId);
        await harness.Bus.Publish(message, c => c.MessageId = message.EventId);

        // A second restart would come about as late as the first did.
        await Wait.StaysAsync(() => restarter.CallsFor(Web) == 1, took, "one restart");
    }

    [Fact]
    public async Task Message_outside_the_allowed_prefix_is_refused_without_retry_or_restart()
    {
        var restarter = new ScriptedRestarter();
        var index = new StaticIndex(Match(Web));
        await using var provider = Build(restarter, index);
        var harness = await StartAsync(provider);

        var message = Event() with { Image = "ghcr.io/acme-evil/app" };
        await harness.Bus.Publish(message, c => c.MessageId = message.EventId);

        var took = await harness.FaultedAsync();
        await Wait.StaysAsync(() => restarter.Calls.IsEmpty && harness.Faults() == 1, took, "no restart, one fault");
        Assert.Equal(0, index.Lookups);
        Assert.Equal(1, harness.ConsumedCount());
    }

    [Fact]
    public async Task Event_arriving_before_the_index_synced_is_retried_until_it_has()
    {
        var restarter = new ScriptedRestarter();
        var index = new StaticIndex(Match(Web)) { IsSynced = false };
        await using var provider = Build(restarter, index);
        var harness = await StartAsync(provider);

        var message = Event();
        await harness.Bus.Publish(message, c => c.MessageId = message.EventId);
        await Wait.UntilAsync(() => index.UnsyncedReads > 0, what: "the message to meet the index unsynced");
        index.IsSynced = true;

        var took = await provider.HandledAsync(message.EventId);
        await Wait.StaysAsync(() => restarter.CallsFor(Web) == 1 && harness.Faults() == 0, took, "one restart, no fault");
    }

    private static WorkloadMatch Match(WorkloadKey key, WorkloadOutcome? skip = null) => new(key, skip, ["app"]);

    private static ImageUpdated Event() =>
        new(NewId.NextGuid(), "ghcr.io/acme/app", ["dev"], new GitHubTrigger("acme/app", "acme", "refs/heads/main", "abc", "ci", "octocat", "1"), DateTimeOffset.UtcNow);

    private ServiceProvider Build(ScriptedRestarter restarter, params WorkloadMatch[] matches) => Build(restarter, new StaticIndex(matches));

    private ServiceProvider Build(ScriptedRestarter restarter, StaticIndex index) =>
        ConsumerHarness.Build(_redis.Address, index, restarter);

    private static async Task<ITestHarness> StartAsync(IServiceProvider provider)
    {
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        return harness;
    }
}
