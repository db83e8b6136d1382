using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// The typed apps/v1 calls per workload kind, in one place: list (all namespaces, or one), watch with bookmarks, and
/// PATCH. Everything above this works on <see cref="IKubernetesObject{V1ObjectMeta}"/> and <see cref="WorkloadKind"/>.
/// </summary>
public static class WorkloadApi
{
    public static async Task<WorkloadPage> ListAsync(IKubernetes client, WatchScope scope, string? continueToken, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(scope);
        var (apps, ns, all) = (client.AppsV1, scope.Namespace, scope.Namespace.Length == 0);
        return scope.Kind.Resource switch
        {
            WorkloadKind.Deployments => all
                ? Page(await apps.ListDeploymentForAllNamespacesAsync(continueParameter: continueToken, limit: limit, cancellationToken: cancellationToken))
                : Page(await apps.ListNamespacedDeploymentAsync(ns, continueParameter: continueToken, limit: limit, cancellationToken: cancellationToken)),
            WorkloadKind.StatefulSets => all
                ? Page(await apps.ListStatefulSetForAllNamespacesAsync(continueParameter: continueToken, limit: limit, cancellationToken: cancellationToken))
                : Page(await apps.ListNamespacedStatefulSetAsync(ns, continueParameter: continueToken, limit: limit, cancellationToken: cancellationToken)),
            WorkloadKind.DaemonSets => all
                ? Page(await apps.ListDaemonSetForAllNamespacesAsync(continueParameter: continueToken, limit: limit, cancellationToken: cancellationToken))
                : Page(await apps.ListNamespacedDaemonSetAsync(ns, continueParameter: continueToken, limit: limit, cancellationToken: cancellationToken)),
            _ => throw Unknown(scope.Kind),
        };
    }

    public static IAsyncEnumerable<(WatchEventType Type, IKubernetesObject<V1ObjectMeta> Object)> WatchAsync(
        IKubernetes client, WatchScope scope, string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(scope);
        var (apps, ns, all) = (client.AppsV1, scope.Namespace, scope.Namespace.Length == 0);
        return scope.Kind.Resource switch
        {
            WorkloadKind.Deployments => all
                ? Erase(apps.WatchListDeploymentForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken), cancellationToken)
                : Erase(apps.WatchListNamespacedDeploymentAsync(ns, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken), cancellationToken),
            WorkloadKind.StatefulSets => all
                ? Erase(apps.WatchListStatefulSetForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken), cancellationToken)
                : Erase(apps.WatchListNamespacedStatefulSetAsync(ns, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken), cancellationToken),
            WorkloadKind.DaemonSets => all
                ? Erase(apps.WatchListDaemonSetForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken), cancellationToken)
                : Erase(apps.WatchListNamespacedDaemonSetAsync(ns, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken), cancellationToken),
            _ => throw Unknown(scope.Kind),
        };
    }

    /// <summary>GETs one workload, typed (<c>V1Deployment</c>, <c>V1StatefulSet</c>, <c>V1DaemonSet</c>) with its status.</summary>
    public static async Task<IKubernetesObject<V1ObjectMeta>> ReadAsync(IKubernetes client, WorkloadKey workload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(workload);
        var (apps, ns, name) = (client.AppsV1, workload.Namespace, workload.Name);
        return workload.Kind.Resource switch
        {
            WorkloadKind.Deployments => await apps.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken),
            WorkloadKind.StatefulSets => await apps.ReadNamespacedStatefulSetAsync(name, ns, cancellationToken: cancellationToken),
            WorkloadKind.DaemonSets => await apps.ReadNamespacedDaemonSetAsync(name, ns, cancellationToken: cancellationToken),
            _ => throw Unknown(workload.Kind),
        };
    }

    /// <summary>PATCHes one workload; returns the patched object's metadata (its uid names it in an Event).</summary>
    public static async Task<V1ObjectMeta?> PatchAsync(IKubernetes client, WorkloadKey workload, V1Patch patch, string fieldManager, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(workload);
        var (apps, ns, name) = (client.AppsV1, workload.Namespace, workload.Name);
        return workload.Kind.Resource switch
        {
            WorkloadKind.Deployments => Metadata(await apps.PatchNamespacedDeploymentWithHttpMessagesAsync(patch, name, ns, fieldManager: fieldManager, cancellationToken: cancellationToken)),
            WorkloadKind.StatefulSets => Metadata(await apps.PatchNamespacedStatefulSetWithHttpMessagesAsync(patch, name, ns, fieldManager: fieldManager, cancellationToken: cancellationToken)),
            WorkloadKind.DaemonSets => Metadata(await apps.PatchNamespacedDaemonSetWithHttpMessagesAsync(patch, name, ns, fieldManager: fieldManager, cancellationToken: cancellationToken)),
            _ => throw Unknown(workload.Kind),
        };
    }

    private static WorkloadPage Page<T>(IItems<T> list)
        where T : IKubernetesObject<V1ObjectMeta> =>
        WorkloadPage.Of(list, (list as IMetadata<V1ListMeta>)?.Metadata);

    private static V1ObjectMeta? Metadata<T>(HttpOperationResponse<T> response)
        where T : IMetadata<V1ObjectMeta>
    {
        using (response)
            return response.Body?.Metadata;
    }

    private static async IAsyncEnumerable<(WatchEventType, IKubernetesObject<V1ObjectMeta>)> Erase<T>(
        IAsyncEnumerable<(WatchEventType, T)> events, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        await foreach (var (type, item) in events.WithCancellation(cancellationToken))
            yield return (type, item);
    }

    private static ArgumentOutOfRangeException Unknown(WorkloadKind kind) => new(nameof(kind), kind.Resource, "not a workload kind the worker knows");
}
