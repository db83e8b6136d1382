using k8s;
using k8s.Models;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kuberollouttrigger.IntegrationTests.Kubernetes;

/// <summary>
/// Runs against a real cluster when KUBECONFIG names one (kind, k3s, a dev cluster), and is skipped otherwise. It
/// creates a temporary namespace with one Deployment, restarts it through the worker's own index and restarter, checks
/// the pod template annotation changed, and deletes the namespace.
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class RealClusterTests
{
    private static readonly string? Kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");

    [SkippableFact]
    public async Task Restarts_a_Deployment_on_a_real_cluster()
    {
        Skip.If(string.IsNullOrEmpty(Kubeconfig) || !File.Exists(Kubeconfig), "KUBECONFIG is not set to a kubeconfig file: no real cluster to test against");

        var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));
        var ns = "krt-test-" + Guid.NewGuid().ToString("N")[..8];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        try
        {
            await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", "ghcr.io/acme/app:dev"), ns);
            await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("other", "ghcr.io/acme/other:dev"), ns);

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Kubernetes:Kubeconfig"] = Kubeconfig,
                ["Kubernetes:AllowedNamespaces"] = ns,
            }).Build();
            var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
            services.AddCluster(configuration);
            await using var provider = services.BuildServiceProvider();
            var watcher = provider.GetServices<IHostedService>().OfType<WorkloadWatcher>().Single();
            await watcher.StartAsync(CancellationToken.None);
            var index = provider.GetRequiredService<WorkloadIndex>();
            await Wait.UntilAsync(() => index.IsSynced && index.Count == 2, TimeSpan.FromSeconds(30));

            var match = Assert.Single(index.Match("ghcr.io/acme/app", ["dev"]));
            Assert.Null(match.Skip);
            var outcome = await provider.GetRequiredService<IWorkloadRestarter>().RestartAsync(match.Workload, new RestartAudit(Guid.NewGuid(), "acme/app", "abc", "1"), CancellationToken.None);
            await watcher.StopAsync(CancellationToken.None);

            Assert.Equal(WorkloadOutcome.Restarted, outcome);
            var web = await client.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
            Assert.True(web.Spec.Template.Metadata.Annotations?.ContainsKey("kubectl.kubernetes.io/restartedAt"));
            var other = await client.AppsV1.ReadNamespacedDeploymentAsync("other", ns);
            Assert.False(other.Spec.Template.Metadata.Annotations?.ContainsKey("kubectl.kubernetes.io/restartedAt") ?? false);
        }
        finally
        {
            await client.CoreV1.DeleteNamespaceAsync(ns);
        }
    }

    private static V1Deployment Deployment(string name, string image) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = 0,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = image }] },
            },
        },
    };
}
