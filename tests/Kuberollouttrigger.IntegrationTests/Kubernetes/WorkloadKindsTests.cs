using System.Text.Json.Nodes;
using k8s.Models;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.Testing.FakeKube;

namespace Kuberollouttrigger.IntegrationTests.Kubernetes;

/// <summary>StatefulSets and DaemonSets through the same index, watcher and restarter as Deployments, against the fake API over HTTP.</summary>
[Collection(nameof(ClusterCollection))]
public sealed class WorkloadKindsTests : IAsyncLifetime
{
    private const string AllKinds = "deployments,statefulsets,daemonsets";
    private static readonly RestartAudit Audit = new(Guid.Parse("5d1c3b8e-2f7a-4e61-8d0b-9a4c7e2f1b63"), "acme/app", "9e8d7c6", "77");
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        _api.AddWorkload("StatefulSet", "shop", "db", ["ghcr.io/acme/app:dev"],
            annotations: new Dictionary<string, string> { ["owner"] = "team-a" }, templateAnnotations: new Dictionary<string, string> { ["prometheus.io/scrape"] = "true" });
        _api.AddWorkload("DaemonSet", "shop", "agent", ["busybox:1"], initImages: ["ghcr.io/acme/app:dev"]);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData("StatefulSet", "statefulsets", "db")]
    [InlineData("DaemonSet", "daemonsets", "agent")]
    public async Task Enabled_kind_is_restarted_with_the_same_patch_as_a_Deployment(string kind, string resource, string name)
    {
        await using var cluster = await ClusterSide.StartAsync(_api, kinds: AllKinds);
        var before = _api.Store.Get("shop", name, resource)!;
        var match = Assert.Single(cluster.Index.Match("ghcr.io/acme/app", ["dev"]), m => m.Workload.Kind.Kind == kind);
        Assert.Null(match.Skip);

        Assert.Equal(WorkloadOutcome.Restarted, await cluster.Restarter.RestartAsync(match.Workload, Audit, CancellationToken.None));

        var patch = Assert.Single(_api.Requests, r => r.IsPatch);
        Assert.Equal($"/apis/apps/v1/namespaces/shop/{resource}/{name}", patch.Path);
        Assert.Equal("application/strategic-merge-patch+json", patch.ContentType?.Split(';')[0]);
        Assert.Equal("kuberollouttrigger", patch.QueryValue("fieldManager"));
        var restartedAt = JsonNode.Parse(patch.Body)!["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]!.GetValue<string>();
        Assert.Equal(
            "{\"metadata\":{\"annotations\":{\"kuberollouttrigger.io/last-event-id\":\"5d1c3b8e-2f7a-4e61-8d0b-9a4c7e2f1b63\","
            + "\"kuberollouttrigger.io/last-repository\":\"acme/app\",\"kuberollouttrigger.io/last-sha\":\"9e8d7c6\",\"kuberollouttrigger.io/last-run-id\":\"77\"}},"
            + "\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"" + restartedAt + "\"}}}}}",
            patch.Body);
        var after = _api.Store.Get("shop", name, resource)!;
        Assert.True(JsonNode.DeepEquals(before["spec"]!["template"]!["spec"], after["spec"]!["template"]!["spec"]));
        Assert.Equal(restartedAt, after["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]!.GetValue<string>());
        Assert.Equal("9e8d7c6", after["metadata"]!["annotations"]!["kuberollouttrigger.io/last-sha"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_the_default_only_Deployments_are_listed_and_watched()
    {
        _api.Rbac.Grant("deployments-only", "*", "get", "list", "watch", "patch");

        await using var cluster = await ClusterSide.StartAsync(_api, token: "deployments-only");
        await Wait.UntilAsync(() => _api.Store.OpenWatches > 0);

        Assert.Equal(["web"], cluster.Index.Match("ghcr.io/acme/app", ["dev"]).Select(m => m.Workload.Name));
        Assert.DoesNotContain(_api.Requests, r => r.Path.Contains("statefulsets", StringComparison.Ordinal) || r.Path.Contains("daemonsets", StringComparison.Ordinal));
        Assert.DoesNotContain(_api.Requests, r => r.Status == 403);
    }

    [Fact]
    public async Task The_index_is_synced_only_once_every_enabled_kind_has_listed()
    {
        _api.Rbac.GrantOn("no-daemonsets", "deployments", "*", "get", "list", "watch", "patch");
        _api.Rbac.GrantOn("no-daemonsets", "statefulsets", "*", "get", "list", "watch", "patch");

        await using var cluster = await ClusterSide.StartAsync(_api, token: "no-daemonsets", kinds: AllKinds, waitForSync: false);
        await Wait.UntilAsync(() => _api.Requests.Any(r => r.Path == "/apis/apps/v1/daemonsets" && r.Status == 403)
            && cluster.Index.Count == 2, what: "two kinds indexed, one refused");

        Assert.False(cluster.Index.IsSynced);
        Assert.Equal(2, _api.Requests.Count(r => r.IsList && r.Status == 200));

        _api.Rbac.GrantOn("no-daemonsets", "daemonsets", "*", "get", "list", "watch", "patch");
        await Wait.UntilAsync(() => cluster.Index.IsSynced, TimeSpan.FromSeconds(60), "synced after the grant");
        Assert.Equal(3, cluster.Index.Count);
    }

    [Fact]
    public async Task A_Deployment_and_a_StatefulSet_of_the_same_name_are_two_workloads()
    {
        _api.AddWorkload("StatefulSet", "shop", "web", ["ghcr.io/acme/app:dev"]);

        await using var cluster = await ClusterSide.StartAsync(_api, kinds: AllKinds);

        Assert.Equal(4, cluster.Index.Count);
        Assert.Equal(["DaemonSet shop/agent", "StatefulSet shop/db", "Deployment shop/web", "StatefulSet shop/web"],
            cluster.Index.Match("ghcr.io/acme/app", ["dev"]).Select(m => m.Workload.ToString()));
        Assert.Equal(new Dictionary<WorkloadKind, int> { [WorkloadKind.Deployment] = 1, [WorkloadKind.StatefulSet] = 2, [WorkloadKind.DaemonSet] = 1 }, cluster.Index.CountByKind());
    }

    [Fact]
    public async Task Skip_rules_apply_to_every_kind()
    {
        const string Digest = "sha256:0123456789012345678901234567890123456789012345678901234567890123";
        _api.AddWorkload("StatefulSet", "a", "ignored", ["ghcr.io/acme/app:dev"], annotations: new Dictionary<string, string> { ["kuberollouttrigger.io/ignore"] = "true" });
        _api.AddWorkload("DaemonSet", "a", "pinned", [$"ghcr.io/acme/app:dev@{Digest}"]);
        _api.AddWorkload("DaemonSet", "a", "hub", ["docker.io/library/nginx:1.27"]);

        await using var cluster = await ClusterSide.StartAsync(_api, kinds: AllKinds, namespaces: "a");

        var decisions = cluster.Index.Match("ghcr.io/acme/app", ["dev"]).ToDictionary(m => m.Workload.Name, m => m.Skip);
        Assert.Equal(new Dictionary<string, WorkloadOutcome?> { ["ignored"] = WorkloadOutcome.Ignored, ["pinned"] = WorkloadOutcome.SkippedDigest }, decisions);
        Assert.Single(cluster.Index.Match("nginx", ["1.27"]));
    }

    [Fact]
    public async Task Namespace_scoped_RBAC_per_kind_and_a_kind_without_permission_does_not_hold_up_the_others()
    {
        _api.Rbac.GrantOn("scoped", "deployments", "shop", "get", "list", "watch", "patch");
        _api.Rbac.GrantOn("scoped", "statefulsets", "shop", "get", "list", "watch", "patch");

        await using var cluster = await ClusterSide.StartAsync(_api, token: "scoped", namespaces: "shop", kinds: AllKinds);

        Assert.Equal([new WatchScope(WorkloadKind.DaemonSet, "shop")], cluster.Index.ForbiddenScopes);
        Assert.Equal(["db", "web"], cluster.Index.Match("ghcr.io/acme/app", ["dev"]).Select(m => m.Workload.Name));
        Assert.DoesNotContain(_api.Requests, r => !r.Path.StartsWith("/apis/apps/v1/namespaces/shop/", StringComparison.Ordinal) && r.Path.StartsWith("/apis/", StringComparison.Ordinal));

        _api.Rbac.GrantOn("scoped", "daemonsets", "shop", "get", "list", "watch", "patch");
        await Wait.UntilAsync(() => cluster.Index.Match("ghcr.io/acme/app", ["dev"]).Count == 3, what: "the DaemonSet after the grant");
        Assert.Empty(cluster.Index.ForbiddenScopes);
    }

    [Fact]
    public async Task Watch_and_relist_keep_StatefulSets_and_DaemonSets_current_and_the_observer_sees_every_object()
    {
        var observer = new RecordingObserver();
        await using var cluster = await ClusterSide.StartAsync(_api, kinds: AllKinds, observer: observer);
        await Wait.UntilAsync(() => _api.Store.OpenWatches == 3, what: "one watch per kind");
        Assert.Contains(observer.Seen, s => s.Change == WorkloadChange.Listed && s.Workload is V1StatefulSet { Metadata.Name: "db", Status: not null });

        _api.AddWorkload("StatefulSet", "shop", "cache", ["ghcr.io/acme/cache:dev"]);
        await Wait.UntilAsync(() => cluster.Index.Match("ghcr.io/acme/cache", ["dev"]).Count == 1, what: "ADDED");
        _api.Store.Update("shop", "agent", d =>
        {
            d["spec"]!["template"]!["spec"]!["initContainers"]![0]!["image"] = "ghcr.io/acme/app:v2";
            return true;
        }, "daemonsets");
        await Wait.UntilAsync(() => cluster.Index.Match("ghcr.io/acme/app", ["v2"]).Count == 1, what: "MODIFIED");
        // Observers see a watch event after the index took it: wait for that, not only for the index.
        await Wait.UntilAsync(() => observer.Seen.Any(s => s.Kind == WorkloadKind.DaemonSet && s.Change == WorkloadChange.Modified && s.Workload is V1DaemonSet),
            what: "the observer's MODIFIED DaemonSet");

        // The StatefulSet watch's reconnect waits until db is deleted and the history compacted, so it cannot open in
        // between and see the deletion as a watch event: it gets 410 and the worker lists again.
        var reconnect = _api.Hold("GET", "/apis/apps/v1/statefulsets");
        _api.Store.CloseAllWatches();
        await Wait.UntilAsync(() => reconnect.Arrived > 0, what: "the StatefulSet watch's reconnect");
        _api.Store.Delete("shop", "db", "statefulsets");
        _api.Store.Compact();
        reconnect.Release();
        await Wait.UntilAsync(() => cluster.Index.Match("ghcr.io/acme/app", ["dev"]).Count == 1, what: "the relist without db");
        Assert.True(_api.Requests.Count(r => r.IsList && r.Path == "/apis/apps/v1/statefulsets") >= 2, "StatefulSets were not listed again after 410");
        Assert.Equal(3, cluster.Index.Count);
    }
}
