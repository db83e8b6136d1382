using k8s;
using Kuberollouttrigger.Common.Settings;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>Builds the one <see cref="IKubernetes"/> of the process: from the kubeconfig when given, else in-cluster.</summary>
public static class KubernetesClientFactory
{
    public static IKubernetes Create(IOptions<ClusterOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var kubeconfig = options.Value.Kubeconfig;
        KubernetesClientConfiguration configuration;
        if (!string.IsNullOrWhiteSpace(kubeconfig))
        {
            if (!File.Exists(kubeconfig))
                throw new InvalidSettingException($"KUBECONFIG / --kubeconfig names '{kubeconfig}', which does not exist");
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        }
        else if (KubernetesClientConfiguration.IsInCluster())
        {
            configuration = KubernetesClientConfiguration.InClusterConfig();
        }
        else
        {
            throw new InvalidSettingException("no Kubernetes configuration: set KUBECONFIG / --kubeconfig, or run the worker in a cluster with a service account");
        }
        // Watches end on the server's timeoutSeconds; the client-side timeout must outlast them.
        configuration.HttpClientTimeout = options.Value.WatchTimeout + TimeSpan.FromSeconds(30);
        return new k8s.Kubernetes(configuration);
    }
}
