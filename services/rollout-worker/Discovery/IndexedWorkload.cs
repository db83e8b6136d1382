using k8s.Models;
using Kuberollouttrigger.Common.Images;
using Kuberollouttrigger.RolloutWorker.Kubernetes;

namespace Kuberollouttrigger.RolloutWorker.Discovery;

/// <summary>A Deployment reduced to what matching needs; the index never keeps whole objects.</summary>
public sealed record IndexedWorkload(WorkloadKey Key, bool Paused, bool Ignored, IReadOnlyList<IndexedContainer> Containers)
{
    public const string IgnoreAnnotation = "kuberollouttrigger.io/ignore";

    public static IndexedWorkload From(V1Deployment deployment, Func<string, string> intern)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(intern);
        var metadata = deployment.Metadata;
        var podSpec = deployment.Spec?.Template?.Spec;
        var containers = new List<IndexedContainer>();
        foreach (var container in (podSpec?.InitContainers ?? []).Concat(podSpec?.Containers ?? []))
        {
            if (container.Image is null || ImageReference.Parse(container.Image) is not { } reference)
                continue;
            // A reference with neither tag nor digest means :latest, as the container runtime pulls it.
            var tag = reference.Tag ?? (reference.Digest is null ? "latest" : null);
            containers.Add(new IndexedContainer(intern(container.Name ?? ""), intern(reference.Repository), tag is null ? null : intern(tag), reference.IsPinnedByDigest));
        }
        var ignored = metadata?.Annotations is { } annotations && annotations.TryGetValue(IgnoreAnnotation, out var value)
            && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
        return new IndexedWorkload(
            new WorkloadKey(intern(metadata?.NamespaceProperty ?? ""), metadata?.Name ?? ""),
            deployment.Spec?.Paused == true,
            ignored,
            containers);
    }
}
