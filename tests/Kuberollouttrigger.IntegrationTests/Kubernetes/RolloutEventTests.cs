using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.Testing.FakeKube;

namespace Kuberollouttrigger.IntegrationTests.Kubernetes;

/// <summary>EMIT_EVENTS: a core/v1 Event per restarted workload, and a failed Event never fails the restart.</summary>
[Collection(nameof(ClusterCollection))]
public sealed class RolloutEventTests : IAsyncLifetime
{
    private const string Kinds = "deployments,statefulsets";
    private static readonly WorkloadKey Web = new(WorkloadKind.Deployment, "shop", "web");
    private static readonly WorkloadKey Db = new(WorkloadKind.StatefulSet, "shop", "db");
    private static readonly RestartAudit Audit = new(Guid.Parse("c2a0f1e4-7b3d-4a59-9e16-0d8f5b2c4a77"), "acme/app", "1a2b3c4", "9001");
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        _api.AddWorkload("StatefulSet", "shop", "db", ["ghcr.io/acme/app:dev"]);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task With_EMIT_EVENTS_each_restarted_workload_gets_one_RolloutTriggered_Event()
    {
        await using var cluster = await ClusterSide.StartAsync(_api, kinds: Kinds, emitEvents: true);

        Assert.Equal(WorkloadOutcome.Restarted, await cluster.Restarter.RestartAsync(Web, Audit, CancellationToken.None));
        Assert.Equal(WorkloadOutcome.Restarted, await cluster.Restarter.RestartAsync(Db, Audit, CancellationToken.None));

        Assert.Equal(2, _api.Requests.Count(r => r.Method == "POST" && r.Path == "/api/v1/namespaces/shop/events" && r.Status == 201));
        Assert.Equal(["Deployment/web", "StatefulSet/db"], _api.Events.Select(e => $"{e["involvedObject"]!["kind"]}/{e["involvedObject"]!["name"]}"));
        foreach (var (e, resource) in _api.Events.Zip(new[] { "deployments", "statefulsets" }))
        {
            var involved = e["involvedObject"]!;
            var workload = _api.Store.Get("shop", involved["name"]!.GetValue<string>(), resource)!;
            Assert.Equal("RolloutTriggered", e["reason"]!.GetValue<string>());
            Assert.Equal("Normal", e["type"]!.GetValue<string>());
            Assert.Equal("kuberollouttrigger", e["reportingComponent"]!.GetValue<string>());
            Assert.Equal("kuberollouttrigger", e["source"]!["component"]!.GetValue<string>());
            Assert.Equal("apps/v1", involved["apiVersion"]!.GetValue<string>());
            Assert.Equal("shop", involved["namespace"]!.GetValue<string>());
            Assert.Equal(workload["metadata"]!["uid"]!.GetValue<string>(), involved["uid"]!.GetValue<string>());
            Assert.Equal("shop", e["metadata"]!["namespace"]!.GetValue<string>());
            var message = e["message"]!.GetValue<string>();
            foreach (var fact in new[] { "c2a0f1e4-7b3d-4a59-9e16-0d8f5b2c4a77", "acme/app", "1a2b3c4", "9001" })
                Assert.Contains(fact, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_EMIT_EVENTS_no_Event_is_posted()
    {
        await using var cluster = await ClusterSide.StartAsync(_api, kinds: Kinds);

        Assert.Equal(WorkloadOutcome.Restarted, await cluster.Restarter.RestartAsync(Web, Audit, CancellationToken.None));

        Assert.DoesNotContain(_api.Requests, r => r.Method == "POST");
        Assert.Empty(_api.Events);
    }

    [Fact]
    public async Task An_Event_refused_with_403_does_not_fail_or_repeat_the_restart()
    {
        foreach (var resource in new[] { "deployments", "statefulsets" })
            _api.Rbac.GrantOn("no-events", resource, "*", "get", "list", "watch", "patch");
        await using var cluster = await ClusterSide.StartAsync(_api, token: "no-events", kinds: Kinds, emitEvents: true);

        Assert.Equal(WorkloadOutcome.Restarted, await cluster.Restarter.RestartAsync(Db, Audit, CancellationToken.None));

        Assert.Equal([403], _api.Requests.Where(r => r.Method == "POST").Select(r => r.Status));
        Assert.Single(_api.Requests, r => r.IsPatch && r.Status == 200);
        Assert.Empty(_api.Events);
        Assert.NotNull(_api.Store.Get("shop", "db", "statefulsets")!["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]);
    }

    [Fact]
    public async Task An_Event_failing_with_500_does_not_fail_the_restart()
    {
        await using var cluster = await ClusterSide.StartAsync(_api, kinds: Kinds, emitEvents: true);
        _api.Fail("POST", "/events", 500);

        Assert.Equal(WorkloadOutcome.Restarted, await cluster.Restarter.RestartAsync(Web, Audit, CancellationToken.None));

        Assert.Equal([500], _api.Requests.Where(r => r.Method == "POST").Select(r => r.Status));
        Assert.Single(_api.Requests, r => r.IsPatch);
    }
}
