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
/// The worker given the same POLICY_FILE re-checks every message under MassTransit's test harness over the production
/// registration: a message the policy denies is refused without retry and restarts nothing.
/// </summary>
[Collection(nameof(WorkerCollection))]
public sealed class PolicyRecheckTests(SharedServers servers) : IAsyncLifetime
{
    private const string Policy = """
        rules:
          - repositories: acme/*
            repository_owner_id: 1000001
            images: ["{prefix}{repository_name}"]
            refs: refs/heads/main
        """;

    private static readonly WorkloadKey Web = WorkloadKey.Deployment("shop", "web");
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"krt-worker-policy-{Guid.NewGuid():N}.yaml");
    private readonly RedisServer _redis = servers.Redis;

    public async Task InitializeAsync() => await File.WriteAllTextAsync(_file, Policy);

    public Task DisposeAsync()
    {
        File.Delete(_file);
        return Task.CompletedTask;
    }

    public static TheoryData<string, ImageUpdated> Denied() => new()
    {
        { "another repository's image", Event() with { Image = "ghcr.io/acme/other" } },
        { "feature branch", Event() with { TriggeredBy = Trigger() with { Ref = "refs/heads/feature" } } },
        { "owner id of another org", Event() with { TriggeredBy = Trigger() with { RepositoryOwnerId = "999" } } },
        { "no trigger (a raw message from the Go original)", Event() with { TriggeredBy = null } },
    };

    [Theory]
    [MemberData(nameof(Denied))]
    public async Task Policy_denied_message_is_refused_without_retry_and_restarts_nothing(string name, ImageUpdated message)
    {
        var restarter = new ScriptedRestarter();
        var index = new StaticIndex(new WorkloadMatch(Web, null, ["app"]));
        await using var provider = Build(restarter, index);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        await harness.Bus.Publish(message, c => c.MessageId = message.EventId);

        var took = await harness.FaultedAsync();
        await Wait.StaysAsync(() => restarter.Calls.IsEmpty && harness.Faults() == 1, took, $"{name}: no restart, one fault");
        Assert.Equal(0, index.Lookups);
        Assert.Equal(1, harness.ConsumedCount());
    }

    [Fact]
    public async Task Policy_allowed_message_restarts_the_Deployment()
    {
        var restarter = new ScriptedRestarter();
        await using var provider = Build(restarter, new StaticIndex(new WorkloadMatch(Web, null, ["app"])));
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        var message = Event();
        await harness.Bus.Publish(message, c => c.MessageId = message.EventId);

        var took = await provider.HandledAsync(message.EventId);
        await Wait.StaysAsync(() => restarter.CallsFor(Web) == 1 && harness.Faults() == 0, took, "one restart, no fault");
    }

    private static GitHubTrigger Trigger() =>
        new("acme/app", "acme", "refs/heads/main", "abc", "ci", "octocat", "1", RepositoryId: "2000002", RepositoryOwnerId: "1000001");

    private static ImageUpdated Event() => new(NewId.NextGuid(), "ghcr.io/acme/app", ["dev"], Trigger(), DateTimeOffset.UtcNow);

    private ServiceProvider Build(ScriptedRestarter restarter, StaticIndex index) =>
        ConsumerHarness.Build(_redis.Address, index, restarter, new Dictionary<string, string?> { ["Policy:File"] = _file });
}
