using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kuberollouttrigger.Testing.FakeKube;

namespace Kuberollouttrigger.IntegrationTests.Kubernetes;

/// <summary>The fixture's StatefulSet, DaemonSet and Event routes, through the real KubernetesClient.</summary>
public sealed partial class FakeKubernetesApiTests
{
    [Fact]
    public async Task StatefulSets_page_read_and_patch_like_Deployments_and_404_names_the_resource()
    {
        var first = await _client.AppsV1.ListNamespacedStatefulSetAsync("shop", limit: 2);
        var second = await _client.AppsV1.ListNamespacedStatefulSetAsync("shop", limit: 2, continueParameter: first.Metadata.ContinueProperty);
        await _client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch("""{"metadata":{"annotations":{"b":"2"}}}""", V1Patch.PatchType.MergePatch), "db-1", "shop");
        var patched = await _client.AppsV1.ReadNamespacedStatefulSetAsync("db-1", "shop");
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _client.AppsV1.ReadNamespacedStatefulSetAsync("web", "shop"));

        Assert.Equal(["db-0", "db-1"], first.Items.Select(s => s.Metadata.Name));
        Assert.Equal(["db-2"], second.Items.Select(s => s.Metadata.Name));
        Assert.Null(second.Metadata.ContinueProperty);
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
        Assert.Equal("db-1", patched.Spec.ServiceName);
        Assert.Equal("2", patched.Metadata.Annotations["b"]);
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Equal("statefulsets", JsonNode.Parse(missing.Response.Content)!["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task DaemonSets_list_across_namespaces_and_take_json_patches()
    {
        var all = await _client.AppsV1.ListDaemonSetForAllNamespacesAsync();
        await _client.AppsV1.PatchNamespacedDaemonSetAsync(new V1Patch("""[{"op":"add","path":"/metadata/annotations/c","value":"3"}]""", V1Patch.PatchType.JsonPatch), "agent", "kube-system");

        Assert.Equal(["kube-system/agent"], all.Items.Select(d => $"{d.Metadata.NamespaceProperty}/{d.Metadata.Name}"));
        Assert.Equal("3", (await _client.AppsV1.ReadNamespacedDaemonSetAsync("agent", "kube-system")).Metadata.Annotations["c"]);
        Assert.Single(_api.Store.Snapshot(null, "deployments").Items);
    }

    [Fact]
    public async Task A_watch_of_one_kind_sees_only_that_kind()
    {
        var list = await _client.AppsV1.ListStatefulSetForAllNamespacesAsync();
        var names = new List<string?>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, item) in _client.AppsV1.WatchListStatefulSetForAllNamespacesAsync(resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                lock (names)
                    names.Add($"{type} {item.Metadata?.Name}");
            }
        }, CancellationToken.None);
        await Wait.UntilAsync(() => _api.Store.OpenWatches == 1);

        _api.AddDeployment("shop", "api", ["ghcr.io/acme/api:dev"]);
        _api.AddWorkload("DaemonSet", "shop", "log", ["ghcr.io/acme/log:dev"]);
        _api.AddWorkload("StatefulSet", "shop", "cache", ["ghcr.io/acme/cache:dev"]);
        await Wait.UntilAsync(() =>
        {
            lock (names)
                return names.Count > 0;
        });
        await cts.CancelAsync();
        await Task.WhenAny(watching);

        lock (names)
            Assert.Equal(["Added cache"], names);
    }

    [Fact]
    public async Task RBAC_is_per_resource_and_Events_need_create()
    {
        _api.Rbac.Grant("deployments-only", "*", "get", "list", "watch", "patch");
        using var limited = Client("deployments-only");
        var body = new Corev1Event { Metadata = new V1ObjectMeta { GenerateName = "web.", NamespaceProperty = "shop" }, InvolvedObject = new V1ObjectReference { Kind = "Deployment", Name = "web", NamespaceProperty = "shop" }, Reason = "RolloutTriggered" };

        Assert.Single((await limited.AppsV1.ListDeploymentForAllNamespacesAsync()).Items);
        var forbidden = await Assert.ThrowsAsync<HttpOperationException>(() => limited.AppsV1.ListStatefulSetForAllNamespacesAsync());
        var noEvents = await Assert.ThrowsAsync<HttpOperationException>(() => limited.CoreV1.CreateNamespacedEventAsync(body, "shop"));
        var created = await _client.CoreV1.CreateNamespacedEventAsync(body, "shop");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Response.StatusCode);
        Assert.Contains("cannot list resource \"statefulsets\" in API group \"apps\" at the cluster scope", JsonNode.Parse(forbidden.Response.Content)!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, noEvents.Response.StatusCode);
        Assert.StartsWith("web.", created.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal("RolloutTriggered", Assert.Single(_api.Events)["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discovery_lists_the_workload_kinds_and_events()
    {
        using var http = new HttpClient { BaseAddress = _api.BaseAddress };

        var apps = JsonNode.Parse(await http.GetStringAsync("/apis/apps/v1"))!["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>());
        var core = JsonNode.Parse(await http.GetStringAsync("/api/v1"))!["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>());

        Assert.Equal(["deployments", "statefulsets", "daemonsets"], apps);
        Assert.Equal(["events"], core);
    }

    private k8s.Kubernetes Client(string token) => new(new KubernetesClientConfiguration { Host = _api.BaseAddress.ToString(), AccessToken = token });
}
