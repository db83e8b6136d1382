using System.Text.Json.Nodes;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuberollouttrigger.IntegrationTests.EndToEnd;

/// <summary>
/// POST /event -> ingress -> redis-server -> the real worker -> fake Kubernetes API, with StatefulSets and DaemonSets
/// next to Deployments: what each enabled kind gets over the wire, and that a disabled kind gets nothing at all.
/// </summary>
[Collection(nameof(EndToEndCollection))]
public sealed class WorkloadKindsEndToEndTests(SharedServers servers) : IAsyncLifetime
{
    private EndToEndStack _stack = null!;

    private string Channel => _stack.Channel;

    public async Task InitializeAsync()
    {
        _stack = await EndToEndStack.StartAsync(servers, "e2e-kinds");
        _stack.Api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"], templateAnnotations: new Dictionary<string, string> { ["prometheus.io/scrape"] = "true" });
        _stack.Api.AddWorkload("StatefulSet", "shop", "db", ["ghcr.io/acme/app:dev"], annotations: new Dictionary<string, string> { ["owner"] = "team-a" });
        _stack.Api.AddWorkload("DaemonSet", "blog", "agent", ["ghcr.io/acme/app:dev"]);
        _stack.Api.AddWorkload("StatefulSet", "blog", "other", ["ghcr.io/acme/other:dev"]);
    }

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task Every_enabled_kind_using_the_image_restarts_once_with_the_audit_annotations_and_one_Event()
    {
        await using var worker = await WorkerServer.StartAsync(_stack.Redis.Address, Channel, _stack.Api, extra: new Dictionary<string, string?>
        {
            ["Kubernetes:WorkloadKinds"] = "deployments,statefulsets,daemonsets",
            ["Kubernetes:EmitEvents"] = "true",
        });
        _stack.Api.ClearRequests();

        var eventId = await _stack.PostAsync("""{"image":"ghcr.io/acme/app","tags":["dev"]}""");

        var took = await Wait.UntilAsync(() => _stack.IsHandledAsync(eventId), what: "the event handled");
        await Wait.StaysAsync(() => Patches().Count == 3 && _stack.Api.Events.Count == 3, took, "three PATCH requests and three Events");
        Assert.Equal(
            ["/apis/apps/v1/namespaces/blog/daemonsets/agent", "/apis/apps/v1/namespaces/shop/deployments/web", "/apis/apps/v1/namespaces/shop/statefulsets/db"],
            Patches().Select(p => p.Path).Order());
        Assert.All(Patches(), p =>
        {
            Assert.Equal("application/strategic-merge-patch+json", p.ContentType?.Split(';')[0]);
            var body = JsonNode.Parse(p.Body)!;
            Assert.Equal(["metadata", "spec"], body.AsObject().Select(a => a.Key));
            Assert.Equal(["kubectl.kubernetes.io/restartedAt"], body["spec"]!["template"]!["metadata"]!["annotations"]!.AsObject().Select(a => a.Key));
        });
        foreach (var (ns, name, resource) in new[] { ("shop", "web", "deployments"), ("shop", "db", "statefulsets"), ("blog", "agent", "daemonsets") })
        {
            var stored = _stack.Api.Store.Get(ns, name, resource)!;
            var annotations = stored["metadata"]!["annotations"]!;
            Assert.Equal(eventId.ToString(), annotations["kuberollouttrigger.io/last-event-id"]!.GetValue<string>());
            Assert.Equal("acme/app", annotations["kuberollouttrigger.io/last-repository"]!.GetValue<string>());
            Assert.Equal("0123456789abcdef0123456789abcdef01234567", annotations["kuberollouttrigger.io/last-sha"]!.GetValue<string>());
            Assert.Equal("4242", annotations["kuberollouttrigger.io/last-run-id"]!.GetValue<string>());
            var template = stored["spec"]!["template"]!["metadata"]!["annotations"]!.AsObject().Select(a => a.Key).ToList();
            Assert.DoesNotContain(template, key => key.StartsWith("kuberollouttrigger.io/", StringComparison.Ordinal));
            Assert.Contains("kubectl.kubernetes.io/restartedAt", template);
        }
        Assert.Equal("team-a", _stack.Api.Store.Get("shop", "db", "statefulsets")!["metadata"]!["annotations"]!["owner"]!.GetValue<string>());
        Assert.Equal(["DaemonSet/blog/agent", "Deployment/shop/web", "StatefulSet/shop/db"],
            _stack.Api.Events.Select(e => $"{e["involvedObject"]!["kind"]}/{e["involvedObject"]!["namespace"]}/{e["involvedObject"]!["name"]}").Order());
        Assert.All(_stack.Api.Events, e => Assert.Contains(eventId.ToString(), e["message"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.DoesNotContain(_stack.Api.Requests, r => r.IsList);
        // The meter listener is process-wide: workers and Event recorders of tests running alongside add to the
        // Deployment and Event series; only this test restarts StatefulSets and DaemonSets through the consumer.
        var metrics = await PrometheusScrape.FromAsync(worker.Client);
        Assert.Equal(1, metrics.Value("kuberollouttrigger_workloads_total", "kind=\"statefulset\"", "outcome=\"restarted\""));
        Assert.Equal(1, metrics.Value("kuberollouttrigger_workloads_total", "kind=\"daemonset\"", "outcome=\"restarted\""));
        Assert.True(metrics.Value("kuberollouttrigger_workloads_total", "kind=\"deployment\"", "outcome=\"restarted\"") >= 1);
        Assert.Equal(2, metrics.Value("kuberollouttrigger_index_workloads", "kind=\"statefulset\""));
        Assert.True(metrics.Value("kuberollouttrigger_kube_events_total", "result=\"created\"") >= 3);
        var health = await worker.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, health.Entries["workload-index"].Status);
        Assert.DoesNotContain("deployment-index", health.Entries.Keys);
    }

    [Fact]
    public async Task With_the_default_kinds_StatefulSets_and_DaemonSets_get_no_request_at_all()
    {
        await using var worker = await WorkerServer.StartAsync(_stack.Redis.Address, Channel, _stack.Api);

        var eventId = await _stack.PostAsync("""{"image":"ghcr.io/acme/app","tags":["dev"]}""");

        var took = await Wait.UntilAsync(() => _stack.IsHandledAsync(eventId), what: "the event handled");
        await Wait.StaysAsync(() => Patches().Count == 1, took, "one PATCH request");
        Assert.Equal("/apis/apps/v1/namespaces/shop/deployments/web", Assert.Single(Patches()).Path);
        Assert.DoesNotContain(_stack.Api.Requests, r => r.Path.Contains("/statefulsets", StringComparison.Ordinal) || r.Path.Contains("/daemonsets", StringComparison.Ordinal));
        Assert.DoesNotContain(_stack.Api.Requests, r => r.Method == "POST");
        Assert.Null(_stack.Api.Store.Get("shop", "db", "statefulsets")!["metadata"]!["annotations"]!["kuberollouttrigger.io/last-event-id"]);
    }

    private List<RecordedRequest> Patches() => [.. _stack.Api.Requests.Where(r => r.IsPatch)];
}
