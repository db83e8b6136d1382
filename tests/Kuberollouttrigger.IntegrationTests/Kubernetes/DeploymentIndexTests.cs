using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.Testing.FakeKube;

namespace Kuberollouttrigger.IntegrationTests.Kubernetes;

/// <summary>The index fed by list + watch from the fake API server over HTTP, with the real KubernetesClient.</summary>
[Collection(nameof(ClusterCollection))]
public sealed class DeploymentIndexTests : IAsyncLifetime
{
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeKubernetesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Initial_list_pages_through_every_Deployment()
    {
        for (var i = 0; i < 1_200; i++)
            _api.AddDeployment($"ns-{i % 3}", $"d-{i}", [$"ghcr.io/acme/app-{i % 7}:dev"]);

        await using var cluster = await ClusterSide.StartAsync(_api, pageSize: 500);

        Assert.Equal(1_200, cluster.Index.Count);
        var lists = _api.Requests.Where(r => r.IsList).ToList();
        Assert.Equal(3, lists.Count);
        Assert.All(lists, r => Assert.Equal("500", r.QueryValue("limit")));
        Assert.Equal(2, lists.Count(r => r.QueryValue("continue").Length > 0));
        Assert.Equal(1_200 / 7 + 1, cluster.Index.Match("ghcr.io/acme/app-0", ["dev"]).Count);
    }

    [Fact]
    public async Task Namespace_scoped_RBAC_is_enough_when_namespaces_are_allowed()
    {
        _api.AddDeployment("team-a", "web", ["ghcr.io/acme/app:dev"]);
        _api.AddDeployment("team-b", "web", ["ghcr.io/acme/app:dev"]);
        _api.AddDeployment("other", "web", ["ghcr.io/acme/app:dev"]);
        _api.Rbac.Grant("scoped", "team-a", "get", "list", "watch", "patch");
        _api.Rbac.Grant("scoped", "team-b", "get", "list", "watch", "patch");

        await using var cluster = await ClusterSide.StartAsync(_api, token: "scoped", namespaces: "team-a,team-b");

        Assert.Equal(2, cluster.Index.Count);
        Assert.Equal(["team-a/web", "team-b/web"], cluster.Index.Match("ghcr.io/acme/app", ["dev"]).Select(m => $"{m.Workload.Namespace}/{m.Workload.Name}"));
        Assert.DoesNotContain(_api.Requests, r => r.Path == "/apis/apps/v1/deployments");
        Assert.DoesNotContain(_api.Requests, r => r.Status == 403);
    }

    [Fact]
    public async Task A_namespace_without_permission_does_not_hold_up_the_others_and_heals_when_granted()
    {
        _api.AddDeployment("team-a", "web", ["ghcr.io/acme/app:dev"]);
        _api.AddDeployment("team-b", "web", ["ghcr.io/acme/app:dev"]);
        _api.Rbac.Grant("scoped", "team-a", "get", "list", "watch", "patch");

        await using var cluster = await ClusterSide.StartAsync(_api, token: "scoped", namespaces: "team-a,team-b");

        Assert.True(cluster.Index.IsSynced);
        Assert.Equal([new WatchScope(WorkloadKind.Deployment, "team-b")], cluster.Index.ForbiddenScopes);
        Assert.Equal(["team-a/web"], cluster.Index.Match("ghcr.io/acme/app", ["dev"]).Select(m => $"{m.Workload.Namespace}/{m.Workload.Name}"));

        _api.Rbac.Grant("scoped", "team-b", "get", "list", "watch", "patch");

        await Wait.UntilAsync(() => cluster.Index.Match("ghcr.io/acme/app", ["dev"]).Count == 2, what: "team-b after the grant");
        Assert.Empty(cluster.Index.ForbiddenScopes);
    }

    [Fact]
    public async Task Cluster_wide_listing_with_a_namespace_scoped_token_is_forbidden_and_never_syncs()
    {
        _api.Rbac.Grant("scoped", "team-a", "get", "list", "watch", "patch");

        await using var cluster = await ClusterSide.StartAsync(_api, token: "scoped", waitForSync: false);
        await Wait.UntilAsync(() => _api.Requests.Any(r => r.Status == 403));

        Assert.False(cluster.Index.IsSynced);
    }

    [Fact]
    public async Task API_errors_at_start_are_retried_until_the_first_list_succeeds()
    {
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/web:dev"]);
        _api.Fail("GET", "/apis/apps/v1/deployments", 500, times: 2);
        _api.Fail("GET", "/apis/apps/v1/deployments", 429, times: 1, retryAfterSeconds: 1);

        await using var cluster = await ClusterSide.StartAsync(_api);

        Assert.Single(cluster.Index.Match("ghcr.io/acme/web", ["dev"]));
        Assert.Equal([500, 500, 429, 200], _api.Requests.Where(r => r.IsList).Select(r => r.Status));
    }

    [Fact]
    public async Task Watch_events_keep_the_index_current()
    {
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/web:dev"]);
        await using var cluster = await ClusterSide.StartAsync(_api);
        await Wait.UntilAsync(() => _api.Store.OpenWatches > 0);

        _api.AddDeployment("shop", "api", ["ghcr.io/acme/api:dev"]);
        await Wait.UntilAsync(() => cluster.Index.Match("ghcr.io/acme/api", ["dev"]).Count == 1, what: "ADDED");

        _api.Store.Update("shop", "web", d =>
        {
            d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "ghcr.io/acme/web2:dev";
            return true;
        });
        await Wait.UntilAsync(() => cluster.Index.Match("ghcr.io/acme/web2", ["dev"]).Count == 1, what: "MODIFIED");
        Assert.Empty(cluster.Index.Match("ghcr.io/acme/web", ["dev"]));

        _api.Store.Delete("shop", "api");
        await Wait.UntilAsync(() => cluster.Index.Match("ghcr.io/acme/api", ["dev"]).Count == 0, what: "DELETED");
        Assert.Equal(1, cluster.Index.Count);
    }

    [Fact]
    public async Task Expired_resource_version_leads_to_a_relist_with_the_right_contents()
    {
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/web:dev"]);
        _api.AddDeployment("shop", "old", ["ghcr.io/acme/old:dev"]);
        await using var cluster = await ClusterSide.StartAsync(_api);
        await Wait.UntilAsync(() => _api.Store.OpenWatches > 0);
        var listsBefore = _api.Requests.Count(r => r.IsList);

        // The watch drops; meanwhile changes happen and the history is compacted: the resume gets 410 Gone.
        _api.Store.CloseAllWatches();
        _api.Store.Compact();
        _api.Store.Delete("shop", "old");
        _api.AddDeployment("shop", "new", ["ghcr.io/acme/new:dev"]);
        _api.Store.Compact();

        await Wait.UntilAsync(() => cluster.Index.Match("ghcr.io/acme/new", ["dev"]).Count == 1, what: "relist");
        Assert.Empty(cluster.Index.Match("ghcr.io/acme/old", ["dev"]));
        Assert.Equal(2, cluster.Index.Count);
        Assert.True(_api.Requests.Count(r => r.IsList) > listsBefore);
    }

    [Fact]
    public async Task Dropped_watch_resumes_from_the_last_resource_version_without_relisting()
    {
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/web:dev"]);
        await using var cluster = await ClusterSide.StartAsync(_api);
        await Wait.UntilAsync(() => _api.Store.OpenWatches > 0);
        var listsBefore = _api.Requests.Count(r => r.IsList);

        _api.Store.CloseAllWatches();
        _api.AddDeployment("shop", "api", ["ghcr.io/acme/api:dev"]);

        await Wait.UntilAsync(() => cluster.Index.Match("ghcr.io/acme/api", ["dev"]).Count == 1);
        Assert.Equal(listsBefore, _api.Requests.Count(r => r.IsList));
        Assert.True(_api.Requests.Count(r => r.IsWatch) >= 2);
        Assert.All(_api.Requests.Where(r => r.IsWatch), r => Assert.Equal("true", r.QueryValue("allowWatchBookmarks")));
    }

    [Fact]
    public async Task Matching_follows_container_runtime_rules()
    {
        const string Digest = "sha256:0123456789012345678901234567890123456789012345678901234567890123";
        _api.AddDeployment("a", "hub-short", ["nginx:1.27"]);
        _api.AddDeployment("a", "hub-long", ["docker.io/library/nginx:1.27"]);
        _api.AddDeployment("a", "hub-index", ["index.docker.io/library/nginx:1.27"]);
        _api.AddDeployment("a", "init", ["busybox:1"], initImages: ["ghcr.io/acme/app:dev"]);
        _api.AddDeployment("a", "two-tags", ["ghcr.io/acme/app:dev", "ghcr.io/acme/app:v1"]);
        _api.AddDeployment("a", "pinned", [$"ghcr.io/acme/app:dev@{Digest}"]);
        _api.AddDeployment("a", "digest-only", [$"ghcr.io/acme/app@{Digest}"]);
        _api.AddDeployment("a", "mixed", [$"ghcr.io/acme/app:dev@{Digest}", "ghcr.io/acme/app:dev"]);
        _api.AddDeployment("a", "paused", ["ghcr.io/acme/app:dev"], paused: true);
        _api.AddDeployment("a", "ignored", ["ghcr.io/acme/app:dev"], annotations: new Dictionary<string, string> { ["kuberollouttrigger.io/ignore"] = "true" });
        _api.AddDeployment("a", "other-tag", ["ghcr.io/acme/app:prod"]);
        _api.AddDeployment("a", "other-image", ["ghcr.io/acme/app-two:dev"]);
        _api.AddDeployment("a", "implicit-latest", ["ghcr.io/acme/app"]);
        await using var cluster = await ClusterSide.StartAsync(_api);

        var nginx = cluster.Index.Match("docker.io/library/nginx", ["1.27"]);
        Assert.Equal(["a/hub-index", "a/hub-long", "a/hub-short"], nginx.Select(m => $"{m.Workload.Namespace}/{m.Workload.Name}"));
        Assert.Equal(nginx.Select(m => m.Workload), cluster.Index.Match("nginx", ["1.27"]).Select(m => m.Workload));

        var app = cluster.Index.Match("ghcr.io/acme/app", ["dev", "v1"]).ToDictionary(m => m.Workload.Name, m => m.Skip);
        Assert.Equal(new Dictionary<string, WorkloadOutcome?>
        {
            ["digest-only"] = WorkloadOutcome.SkippedDigest,
            ["ignored"] = WorkloadOutcome.Ignored,
            ["init"] = null,
            ["mixed"] = null,
            ["paused"] = WorkloadOutcome.SkippedPaused,
            ["pinned"] = WorkloadOutcome.SkippedDigest,
            ["two-tags"] = null,
        }, app);
        var latest = cluster.Index.Match("ghcr.io/acme/app", ["latest"]).ToDictionary(m => m.Workload.Name, m => m.Skip);
        Assert.Null(latest["implicit-latest"]);
        Assert.Equal(WorkloadOutcome.SkippedDigest, latest["digest-only"]);
        Assert.Equal(2, latest.Count);
    }

    [Fact]
    public async Task Matching_after_sync_sends_no_request()
    {
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/web:dev"]);
        await using var cluster = await ClusterSide.StartAsync(_api);
        await Wait.UntilAsync(() => _api.Store.OpenWatches > 0);
        var before = _api.Requests.Count;

        for (var i = 0; i < 100; i++)
            Assert.Single(cluster.Index.Match("ghcr.io/acme/web", ["dev", "v1", "latest"]));

        Assert.Equal(before, _api.Requests.Count);
    }
}
