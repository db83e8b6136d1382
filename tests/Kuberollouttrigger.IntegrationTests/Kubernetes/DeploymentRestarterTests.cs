using System.Text.Json.Nodes;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.Testing.FakeKube;

namespace Kuberollouttrigger.IntegrationTests.Kubernetes;

[Collection(nameof(ClusterCollection))]
public sealed class DeploymentRestarterTests : IAsyncLifetime
{
    private static readonly WorkloadKey Web = WorkloadKey.Deployment("shop", "web");
    private static readonly RestartAudit Audit = new(Guid.Parse("0b7f4a52-9d0e-4c47-9a53-3f1c2f5e8a11"), "acme/web", "3f2c1e0", "4711");
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/web:dev"],
            annotations: new Dictionary<string, string> { ["owner"] = "team-a" },
            templateAnnotations: new Dictionary<string, string> { ["prometheus.io/scrape"] = "true" });
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Restart_sends_one_strategic_merge_patch_that_sets_only_restartedAt_and_the_audit_annotations()
    {
        await using var cluster = await ClusterSide.StartAsync(_api);
        var before = _api.Store.Get("shop", "web")!;

        Assert.Equal(WorkloadOutcome.Restarted, await cluster.Restarter.RestartAsync(Web, Audit, CancellationToken.None));

        var patch = Assert.Single(_api.Requests, r => r.IsPatch);
        Assert.Equal("/apis/apps/v1/namespaces/shop/deployments/web", patch.Path);
        Assert.Equal("application/strategic-merge-patch+json", patch.ContentType?.Split(';')[0]);
        Assert.Equal("kuberollouttrigger", patch.QueryValue("fieldManager"));
        var body = JsonNode.Parse(patch.Body)!.AsObject();
        var restartedAt = body["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]!.GetValue<string>();
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", restartedAt);
        Assert.Equal(
            "{\"metadata\":{\"annotations\":{\"kuberollouttrigger.io/last-event-id\":\"0b7f4a52-9d0e-4c47-9a53-3f1c2f5e8a11\","
            + "\"kuberollouttrigger.io/last-repository\":\"acme/web\",\"kuberollouttrigger.io/last-sha\":\"3f2c1e0\",\"kuberollouttrigger.io/last-run-id\":\"4711\"}},"
            + "\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"" + restartedAt + "\"}}}}}",
            body.ToJsonString());

        var after = _api.Store.Get("shop", "web")!;
        Assert.Equal(restartedAt, after["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]!.GetValue<string>());
        Assert.Equal("true", after["spec"]!["template"]!["metadata"]!["annotations"]!["prometheus.io/scrape"]!.GetValue<string>());
        Assert.Equal("team-a", after["metadata"]!["annotations"]!["owner"]!.GetValue<string>());
        Assert.Equal("acme/web", after["metadata"]!["annotations"]!["kuberollouttrigger.io/last-repository"]!.GetValue<string>());
        Assert.Equal(["kubectl.kubernetes.io/restartedAt", "prometheus.io/scrape"], after["spec"]!["template"]!["metadata"]!["annotations"]!.AsObject().Select(a => a.Key).Order());
        Assert.True(JsonNode.DeepEquals(Without(before, "metadata", "spec"), Without(after, "metadata", "spec")));
        Assert.True(JsonNode.DeepEquals(before["spec"]!["template"]!["spec"], after["spec"]!["template"]!["spec"]));
        Assert.Equal(long.Parse(before["metadata"]!["generation"]!.ToJsonString()) + 1, long.Parse(after["metadata"]!["generation"]!.ToJsonString()));
    }

    [Fact]
    public async Task Audit_values_an_event_does_not_have_remove_those_left_by_an_earlier_one()
    {
        await using var cluster = await ClusterSide.StartAsync(_api);
        await cluster.Restarter.RestartAsync(Web, Audit, CancellationToken.None);

        Assert.Equal(WorkloadOutcome.Restarted, await cluster.Restarter.RestartAsync(Web, new RestartAudit(Guid.Empty, null, null, null), CancellationToken.None));

        var body = JsonNode.Parse(_api.Requests.Last(r => r.IsPatch).Body)!["metadata"]!["annotations"]!.ToJsonString();
        Assert.Equal("{\"kuberollouttrigger.io/last-event-id\":\"00000000-0000-0000-0000-000000000000\",\"kuberollouttrigger.io/last-repository\":null,"
            + "\"kuberollouttrigger.io/last-sha\":null,\"kuberollouttrigger.io/last-run-id\":null}", body);
        var annotations = _api.Store.Get("shop", "web")!["metadata"]!["annotations"]!.AsObject();
        Assert.Equal(["kuberollouttrigger.io/last-event-id", "owner"], annotations.Select(a => a.Key).Order());
    }

    [Fact]
    public async Task Forbidden_and_not_found_are_outcomes()
    {
        _api.Rbac.Grant("no-patch", "*", "get", "list", "watch");
        await using var readOnly = await ClusterSide.StartAsync(_api, token: "no-patch");
        await using var admin = await ClusterSide.StartAsync(_api);

        Assert.Equal(WorkloadOutcome.Forbidden, await readOnly.Restarter.RestartAsync(Web, Audit, CancellationToken.None));
        Assert.Equal(WorkloadOutcome.NotFound, await admin.Restarter.RestartAsync(WorkloadKey.Deployment("shop", "gone"), Audit, CancellationToken.None));
        Assert.Null(_api.Store.Get("shop", "web")!["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]);
    }

    [Fact]
    public async Task Too_many_requests_waits_for_Retry_After_then_restarts()
    {
        await using var cluster = await ClusterSide.StartAsync(_api);
        _api.Fail("PATCH", "/deployments/web", 429, times: 1, retryAfterSeconds: 1);

        Assert.Equal(WorkloadOutcome.Restarted, await cluster.Restarter.RestartAsync(Web, Audit, CancellationToken.None));

        var patches = _api.Requests.Where(r => r.IsPatch).ToList();
        Assert.Equal([429, 200], patches.Select(p => p.Status));
        Assert.True(patches[1].At - patches[0].At >= TimeSpan.FromSeconds(0.95), $"waited only {patches[1].At - patches[0].At}");
    }

    [Fact]
    public async Task Persistent_throttling_and_server_errors_are_transient_failures()
    {
        await using var cluster = await ClusterSide.StartAsync(_api);
        _api.Fail("PATCH", "/deployments/web", 429, times: 3, retryAfterSeconds: 0);

        var throttled = await Assert.ThrowsAsync<TransientKubernetesException>(() => cluster.Restarter.RestartAsync(Web, Audit, CancellationToken.None));
        Assert.Equal(429, throttled.StatusCode);

        _api.Fail("PATCH", "/deployments/web", 500);
        var failed = await Assert.ThrowsAsync<TransientKubernetesException>(() => cluster.Restarter.RestartAsync(Web, Audit, CancellationToken.None));
        Assert.Equal(500, failed.StatusCode);
    }

    [Fact]
    public async Task Dry_run_patches_nothing()
    {
        await using var cluster = await ClusterSide.StartAsync(_api, dryRun: true);

        Assert.Equal(WorkloadOutcome.DryRun, await cluster.Restarter.RestartAsync(Web, Audit, CancellationToken.None));

        Assert.DoesNotContain(_api.Requests, r => r.IsPatch);
    }

    private static JsonObject Without(JsonObject o, params string[] keys)
    {
        var copy = (JsonObject)o.DeepClone();
        foreach (var key in keys)
            copy.Remove(key);
        return copy;
    }
}
