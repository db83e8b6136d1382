using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kuberollouttrigger.Testing.FakeKube;

namespace Kuberollouttrigger.IntegrationTests.Kubernetes;

/// <summary>The fixture itself, through the real KubernetesClient: it must behave like kube-apiserver where the worker relies on it.</summary>
[Collection(nameof(ClusterCollection))]
public sealed partial class FakeKubernetesApiTests : IAsyncLifetime
{
    private FakeKubernetesApi _api = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/web:dev"], annotations: new Dictionary<string, string> { ["a"] = "1" });
        for (var i = 0; i < 3; i++)
            _api.AddWorkload("StatefulSet", "shop", $"db-{i}", ["ghcr.io/acme/db:dev"]);
        _api.AddWorkload("DaemonSet", "kube-system", "agent", ["ghcr.io/acme/agent:dev"]);
        _client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _api.BaseAddress.ToString(), AccessToken = FakeKubeRbac.AdminToken });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Get_returns_the_stored_object_and_404_is_a_Status()
    {
        var web = await _client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop");
        Assert.Equal("ghcr.io/acme/web:dev", web.Spec.Template.Spec.Containers[0].Image);

        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _client.AppsV1.ReadNamespacedDeploymentAsync("nope", "shop"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Contains("\"kind\":\"Status\"", missing.Response.Content, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"NotFound\"", missing.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_and_json_patches_are_applied_and_bump_resourceVersion_and_generation()
    {
        var before = await _client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop");

        await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"metadata":{"annotations":{"a":null,"b":"2"}}}""", V1Patch.PatchType.MergePatch), "web", "shop");
        var merged = await _client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop");
        await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""[{"op":"replace","path":"/spec/replicas","value":3}]""", V1Patch.PatchType.JsonPatch), "web", "shop");
        var patched = await _client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop");

        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, merged.Metadata.Annotations);
        Assert.True(long.Parse(merged.Metadata.ResourceVersion) > long.Parse(before.Metadata.ResourceVersion));
        Assert.Equal(before.Metadata.Generation, merged.Metadata.Generation);
        Assert.Equal(3, patched.Spec.Replicas);
        Assert.Equal(before.Metadata.Generation + 1, patched.Metadata.Generation);
    }

    [Fact]
    public async Task Unknown_patch_content_type_is_415_and_unknown_token_is_401()
    {
        using var http = new HttpClient { BaseAddress = _api.BaseAddress };
        using var patch = new HttpRequestMessage(HttpMethod.Patch, "/apis/apps/v1/namespaces/shop/deployments/web") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        patch.Headers.Authorization = new("Bearer", FakeKubeRbac.AdminToken);
        using var anonymous = new HttpRequestMessage(HttpMethod.Get, "/apis/apps/v1/deployments");

        using var unsupported = await http.SendAsync(patch);
        using var unauthorized = await http.SendAsync(anonymous);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }

    [Fact]
    public async Task Watch_streams_changes_and_bookmarks_from_a_resource_version()
    {
        _api.BookmarkInterval = TimeSpan.FromMilliseconds(100);
        var list = await _client.AppsV1.ListNamespacedDeploymentAsync("shop");
        var events = new List<(WatchEventType Type, string? Name)>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var watching = Task.Run(async () =>
        {
            await foreach (var (type, item) in _client.AppsV1.WatchListNamespacedDeploymentAsync("shop", allowWatchBookmarks: true, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                lock (events)
                    events.Add((type, item.Metadata?.Name));
            }
        }, CancellationToken.None);
        await Wait.UntilAsync(() => _api.Store.OpenWatches == 1);
        _api.AddDeployment("shop", "api", ["ghcr.io/acme/api:dev"]);
        _api.Store.Delete("shop", "api");
        await Wait.UntilAsync(() =>
        {
            lock (events)
                return events.Any(e => e.Type == WatchEventType.Deleted) && events.Any(e => e.Type == WatchEventType.Bookmark);
        });
        await cts.CancelAsync();
        await Task.WhenAny(watching);

        lock (events)
        {
            Assert.Equal([(WatchEventType.Added, "api"), (WatchEventType.Deleted, "api")], events.Where(e => e.Type != WatchEventType.Bookmark));
        }
    }
}
