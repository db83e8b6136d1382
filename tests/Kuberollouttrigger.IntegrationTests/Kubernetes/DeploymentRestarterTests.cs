using System.Text.Json.Nodes;
using Kuberollouttrigger.RolloutWorker.Kubernetes;
using Kuberollouttrigger.Testing.FakeKube;

namespace Kuberollouttrigger.IntegrationTests.Kubernetes;

public sealed class DeploymentRestarterTests : IAsyncLifetime
{
    private static readonly WorkloadKey Web = new("shop", "web");
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
    public async Task Restart_sends_one_strategic_merge_patch_that_sets_only_restartedAt()
    {
        await using var cluster = await ClusterSide.StartAsync(_api);
        var before = _api.Store.Get("shop", "web")!;

        Assert.Equal(RestartOutcome.Restarted, await cluster.Restarter.RestartAsync(Web, CancellationToken.None));

        var patch = Assert.Single(_api.Requests, r => r.IsPatch);
        Assert.Equal("/apis/apps/v1/namespaces/shop/deployments/web", patch.Path);
        Assert.Equal("application/strategic-merge-patch+json", patch.ContentType?.Split(';')[0]);
        Assert.Equal("kuberollouttrigger", patch.QueryValue("fieldManager"));
        var body = JsonNode.Parse(patch.Body)!.AsObject();
        var restartedAt = body["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]!.GetValue<string>();
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", restartedAt);
        Assert.Equal("{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"" + restartedAt + "\"}}}}}", body.ToJsonString());

        var after = _api.Store.Get("shop", "web")!;
        Assert.Equal(restartedAt, after["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]!.GetValue<string>());
        Assert.Equal("true", after["spec"]!["template"]!["metadata"]!["annotations"]!["prometheus.io/scrape"]!.GetValue<string>());
        Assert.Equal("team-a", after["metadata"]!["annotations"]!["owner"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(before["spec"]!["template"]!["spec"], after["spec"]!["template"]!["spec"]));
        Assert.Equal(long.Parse(before["metadata"]!["generation"]!.ToJsonString()) + 1, long.Parse(after["metadata"]!["generation"]!.ToJsonString()));
    }

    [Fact]
    public async Task Forbidden_and_not_found_are_outcomes()
    {
        _api.Rbac.Grant("no-patch", "*", "get", "list", "watch");
        await using var readOnly = await ClusterSide.StartAsync(_api, token: "no-patch");
        await using var admin = await ClusterSide.StartAsync(_api);

        Assert.Equal(RestartOutcome.Forbidden, await readOnly.Restarter.RestartAsync(Web, CancellationToken.None));
        Assert.Equal(RestartOutcome.NotFound, await admin.Restarter.RestartAsync(new WorkloadKey("shop", "gone"), CancellationToken.None));
        Assert.Null(_api.Store.Get("shop", "web")!["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]);
    }

    [Fact]
    public async Task Too_many_requests_waits_for_Retry_After_then_restarts()
    {
        await using var cluster = await ClusterSide.StartAsync(_api);
        _api.Fail("PATCH", "/deployments/web", 429, times: 1, retryAfterSeconds: 1);

        Assert.Equal(RestartOutcome.Restarted, await cluster.Restarter.RestartAsync(Web, CancellationToken.None));

        var patches = _api.Requests.Where(r => r.IsPatch).ToList();
        Assert.Equal([429, 200], patches.Select(p => p.Status));
        Assert.True(patches[1].At - patches[0].At >= TimeSpan.FromSeconds(0.95), $"waited only {patches[1].At - patches[0].At}");
    }

    [Fact]
    public async Task Persistent_throttling_and_server_errors_are_transient_failures()
    {
        await using var cluster = await ClusterSide.StartAsync(_api);
        _api.Fail("PATCH", "/deployments/web", 429, times: 3, retryAfterSeconds: 0);

        var throttled = await Assert.ThrowsAsync<TransientKubernetesException>(() => cluster.Restarter.RestartAsync(Web, CancellationToken.None));
        Assert.Equal(429, throttled.StatusCode);

        _api.Fail("PATCH", "/deployments/web", 500);
        var failed = await Assert.ThrowsAsync<TransientKubernetesException>(() => cluster.Restarter.RestartAsync(Web, CancellationToken.None));
        Assert.Equal(500, failed.StatusCode);
    }

    [Fact]
    public async Task Dry_run_patches_nothing()
    {
        await using var cluster = await ClusterSide.StartAsync(_api, dryRun: true);

        Assert.Equal(RestartOutcome.DryRun, await cluster.Restarter.RestartAsync(Web, CancellationToken.None));

        Assert.DoesNotContain(_api.Requests, r => r.IsPatch);
    }
}
