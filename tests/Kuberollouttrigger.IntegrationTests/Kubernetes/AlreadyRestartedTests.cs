using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.Testing.FakeKube;

namespace Kuberollouttrigger.IntegrationTests.Kubernetes;

/// <summary>
/// The restarter's check that an event already restarted a workload, against the fake API: from the index's copy of
/// <c>kuberollouttrigger.io/last-event-id</c>, and with one GET only when the index may be stale.
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class AlreadyRestartedTests : IAsyncLifetime
{
    private static readonly Guid EventId = Guid.Parse("6d1f0c1e-2b7a-4f5e-9c3d-8a9b0c1d2e3f");
    private static readonly WorkloadKey Web = WorkloadKey.Deployment("shop", "web");
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        _api.AddDeployment("shop", "api", ["ghcr.io/acme/api:dev"], annotations: new Dictionary<string, string> { [RestartAudit.EventIdAnnotation] = "not-a-guid" });
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Index_copy_of_the_annotation_answers_without_a_request()
    {
        await using var cluster = await ClusterSide.StartAsync(_api);
        await cluster.Restarter.RestartAsync(Web, new RestartAudit(EventId, "acme/app", null, null), CancellationToken.None);
        await Wait.UntilAsync(() => cluster.Index.Match("ghcr.io/acme/app", ["dev"]).Single().LastEventId == EventId, what: "the index sees the restart");
        _api.ClearRequests();

        var match = cluster.Index.Match("ghcr.io/acme/app", ["dev"]).Single();

        Assert.True(await cluster.Restarter.AlreadyRestartedAsync(match, EventId, indexMayBeStale: true, CancellationToken.None));
        Assert.False(await cluster.Restarter.AlreadyRestartedAsync(match, Guid.NewGuid(), indexMayBeStale: false, CancellationToken.None));
        Assert.DoesNotContain(_api.Requests, r => r.Method == "GET" && !r.IsWatch);
    }

    [Fact]
    public async Task Stale_index_reads_the_workload_once_and_a_first_delivery_does_not()
    {
        await using var cluster = await ClusterSide.StartAsync(_api);
        _api.Store.Update("shop", "web", d =>
        {
            d["metadata"]!["annotations"] = new System.Text.Json.Nodes.JsonObject { [RestartAudit.EventIdAnnotation] = EventId.ToString() };
            return true;
        });
        var stale = new WorkloadMatch(Web, null, ["app"], LastEventId: null);
        _api.ClearRequests();

        Assert.False(await cluster.Restarter.AlreadyRestartedAsync(stale, EventId, indexMayBeStale: false, CancellationToken.None));
        Assert.DoesNotContain(_api.Requests, r => r.Method == "GET" && !r.IsWatch);
        Assert.True(await cluster.Restarter.AlreadyRestartedAsync(stale, EventId, indexMayBeStale: true, CancellationToken.None));
        Assert.False(await cluster.Restarter.AlreadyRestartedAsync(stale, Guid.NewGuid(), indexMayBeStale: true, CancellationToken.None));
        Assert.Equal(2, _api.Requests.Count(r => r.Method == "GET" && !r.IsWatch && r.Path == "/apis/apps/v1/namespaces/shop/deployments/web"));
    }

    [Fact]
    public async Task Garbage_in_the_annotation_is_no_event_and_API_failures_are_transient_or_left_to_the_PATCH()
    {
        await using var cluster = await ClusterSide.StartAsync(_api);
        var api = WorkloadKey.Deployment("shop", "api");

        Assert.Null(cluster.Index.Match("ghcr.io/acme/api", ["dev"]).Single().LastEventId);
        Assert.False(await cluster.Restarter.AlreadyRestartedAsync(new WorkloadMatch(api, null, ["api"]), EventId, indexMayBeStale: true, CancellationToken.None));
        Assert.False(await cluster.Restarter.AlreadyRestartedAsync(new WorkloadMatch(WorkloadKey.Deployment("shop", "gone"), null, ["x"]), EventId, true, CancellationToken.None));
        _api.Fail("GET", "/deployments/web", 503);
        var failure = await Assert.ThrowsAsync<TransientKubernetesException>(() =>
            cluster.Restarter.AlreadyRestartedAsync(new WorkloadMatch(Web, null, ["app"]), EventId, indexMayBeStale: true, CancellationToken.None));
        Assert.Equal(503, failure.StatusCode);
    }
}
