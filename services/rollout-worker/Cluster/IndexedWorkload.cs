using k8s;
using k8s.Models;
using Kuberollouttrigger.Common.Images;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// A workload reduced to what matching needs; the index never keeps whole objects. <see cref="LastEventId"/> is the
/// event that last restarted it (<c>kuberollouttrigger.io/last-event-id</c>), so a redelivered event does not restart
/// it twice.
/// </summary>
public sealed record IndexedWorkload(WorkloadKey Key, bool Paused, bool Ignored, IReadOnlyList<IndexedContainer> Containers, Guid? LastEventId = null)
{
    public const string IgnoreAnnotation = "kuberollouttrigger.io/ignore";

    /// <summary>Reduces a V1Deployment, V1StatefulSet or V1DaemonSet; only Deployments can be paused.</summary>
    public static IndexedWorkload From(IKubernetesObject<V1ObjectMeta> workload, Func<string, string> intern)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(intern);
        var (kind, template, paused) = workload switch
        {
            V1Deployment d => (WorkloadKind.Deployment, d.Spec?.Template, d.Spec?.Paused == true),
            V1StatefulSet s => (WorkloadKind.StatefulSet, s.Spec?.Template, false),
            V1DaemonSet ds => (WorkloadKind.DaemonSet, ds.Spec?.Template, false),
            _ => throw new ArgumentOutOfRangeException(nameof(workload), workload.GetType().Name, "not a workload kind the worker knows"),
        };
        var metadata = workload.Metadata;
        var podSpec = template?.Spec;
        var containers = new List<IndexedContainer>();
        foreach (var container in (podSpec?.InitContainers ?? []).Concat(podSpec?.Containers ?? []))
        {
            if (container.Image is null || ImageReference.Parse(container.Image) is not { } reference)
                continue;
            // A reference with neither tag nor digest means :latest, as the container runtime pulls it.
            var tag = reference.Tag ?? (reference.Digest is null ? "latest" : null);
            var pullPolicy = container.ImagePullPolicy is { Length: > 0 } policy ? policy : IndexedContainer.DefaultPullPolicy(reference.Tag, reference.IsPinnedByDigest);
            containers.Add(new IndexedContainer(intern(container.Name ?? ""), intern(reference.Repository), tag is null ? null : intern(tag), reference.IsPinnedByDigest,
                intern(pullPolicy)));
        }
        var ignored = metadata?.Annotations is { } annotations && annotations.TryGetValue(IgnoreAnnotation, out var value)
            && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
        return new IndexedWorkload(
            new WorkloadKey(kind, intern(metadata?.NamespaceProperty ?? ""), metadata?.Name ?? ""),
            paused,
            ignored,
            containers,
            LastEventOf(metadata));
    }

    /// <summary>The event id a restart PATCH wrote into the workload's metadata, or null (none, or not an id).</summary>
    public static Guid? LastEventOf(V1ObjectMeta? metadata) =>
        metadata?.Annotations is { } annotations && annotations.TryGetValue(RestartAudit.EventIdAnnotation, out var id) && Guid.TryParse(id, out var eventId)
            ? eventId
            : null;
}
