using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Microsoft.Extensions.Options;
using YamlDotNet.Serialization;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// Builds the one <see cref="IKubernetes"/> of the process: from the kubeconfig when given, else in-cluster; every
/// request carries the user agent <c>kuberollouttrigger/&lt;version&gt;</c>.
/// </summary>
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
                throw new InvalidSettingException($"{WorkerSettings.Kubeconfig.Names} names '{kubeconfig}', which does not exist");
            try
            {
                configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(ReadKubeconfig(kubeconfig));
            }
            catch (Exception e) when (e is KubeConfigException or IOException or YamlDotNet.Core.YamlException or ArgumentException)
            {
                throw new InvalidSettingException($"{WorkerSettings.Kubeconfig.Names}: '{kubeconfig}' is not a usable kubeconfig: {e.Message}", e);
            }
        }
        else if (KubernetesClientConfiguration.IsInCluster())
        {
            configuration = KubernetesClientConfiguration.InClusterConfig();
        }
        else
        {
            throw new InvalidSettingException($"no Kubernetes configuration: set {WorkerSettings.Kubeconfig.Names}, or run the worker in a cluster with a service account");
        }
        // Watches end on the server's timeoutSeconds; the client-side timeout must outlast them.
        configuration.HttpClientTimeout = options.Value.WatchTimeout + TimeSpan.FromSeconds(30);
        return new k8s.Kubernetes(configuration, new UserAgentHandler());
    }

    /// <summary>
    /// The kubeconfig, read by YamlDotNet from the attributes of its own model. KubernetesClient's reader
    /// (<c>KubernetesYaml</c>) first builds name tables for every Kubernetes model type, about 6.5 MiB that would stay
    /// on the heap for the life of the process to read one small file.
    /// </summary>
    public static K8SConfiguration ReadKubeconfig(string path)
    {
        var deserializer = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();
        var config = deserializer.Deserialize<K8SConfiguration>(File.ReadAllText(path))
            ?? throw new KubeConfigException("the file is empty");
        // Relative certificate and key paths are resolved against the kubeconfig's directory, as kubectl does.
        config.FileName = Path.GetFullPath(path);
        return config;
    }
}
