using k8s;
using k8s.Models;
using Kuberollouttrigger.RolloutWorker.Rollouts;
using Kuberollouttrigger.Testing.FakeKube;

namespace Kuberollouttrigger.IntegrationTests.Kubernetes;

/// <summary>The fake API's Deployment controller, watched through the real KubernetesClient and judged by the worker's rule.</summary>
[Collection(nameof(ClusterCollection))]
public sealed class RolloutSimulatorTests : IAsyncLifetime
{
    private FakeKubernetesApi _api = null!;
    private RolloutSimulator _rollouts = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        _rollouts = new RolloutSimulator(_api.Store) { StepDelay = TimeSpan.FromMilliseconds(20) };
        _api.AddDeployment("shop", "web", ["ghcr.io/acme/web:dev"]);
        _api.AddDeployment("shop", "api", ["ghcr.io/acme/api:dev"]);
        _client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _api.BaseAddress.ToString(), AccessToken = FakeKubeRbac.AdminToken });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _rollouts.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Template_change_rolls_out_in_MODIFIED_events_to_NewReplicaSetAvailable()
    {
        var seen = await PatchAndWatchAsync("web");

        Assert.True(seen.Count >= 4, $"{seen.Count} MODIFIED events");
        Assert.All(seen, d => Assert.Equal(2, d.Metadata.Generation));
        Assert.Equal(seen.Select(d => long.Parse(d.Metadata.ResourceVersion)).Order(), seen.Select(d => long.Parse(d.Metadata.ResourceVersion)));
        Assert.Equal("progressing", DeploymentRollout.Check(seen[0]).State);
        Assert.Equal(new("complete", "NewReplicaSetAvailable"), DeploymentRollout.Check(seen[^1]));
    }

    [Fact]
    public async Task Deployment_marked_to_fail_ends_in_ProgressDeadlineExceeded()
    {
        _rollouts.FailRollout("shop", "api");

        var seen = await PatchAndWatchAsync("api");

        Assert.Equal("failed", DeploymentRollout.Check(seen[^1]).State);
        Assert.Equal("False", seen[^1].Status.Conditions.Single(c => c.Type == "Progressing").Status);
    }

    [Fact]
    public async Task Metadata_only_change_starts_no_rollout()
    {
        await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"metadata":{"annotations":{"x":"1"}}}""", V1Patch.PatchType.MergePatch), "web", "shop");

        Assert.Equal(0, _rollouts.Started);
        Assert.Equal(1, (await _client.AppsV1.ReadNamespacedDeploymentAsync("web", "shop")).Metadata.Generation);
    }

    private async Task<List<V1Deployment>> PatchAndWatchAsync(string name)
    {
        var from = (await _client.AppsV1.ReadNamespacedDeploymentAsync(name, "shop")).Metadata.ResourceVersion;
        await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-12-02T00:00:00Z"}}}}}""",
            V1Patch.PatchType.StrategicMergePatch), name, "shop");
        await Wait.UntilAsync(() => _rollouts.Finished == 1, what: "the simulated rollout");

        // Bounds only a failure: the watch replays history that is complete by now and ends at the last step.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<V1Deployment>();
        try
        {
            await foreach (var (type, deployment) in _client.AppsV1.WatchListNamespacedDeploymentAsync("shop", resourceVersion: from, cancellationToken: timeout.Token))
            {
                if (type == WatchEventType.Modified && deployment.Metadata.Name == name)
                    seen.Add(deployment);
                if (seen.Count > 0 && DeploymentRollout.Check(deployment).State != "progressing")
                    break;
            }
        }
        catch (OperationCanceledException)
        {
        }
        return seen;
    }
}
