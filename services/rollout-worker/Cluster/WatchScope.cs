namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>One list + watch the worker runs: a kind in one namespace, or in all of them (<see cref="Namespace"/> empty).</summary>
public sealed record WatchScope(WorkloadKind Kind, string Namespace)
{
    public bool Contains(WorkloadKey key) =>
        key.Kind == Kind && (Namespace.Length == 0 || key.Namespace == Namespace);

    /// <summary>The API path listed and watched: <c>/apis/apps/v1/deployments</c> or <c>/apis/apps/v1/namespaces/shop/deployments</c>.</summary>
    public string ApiPath => Namespace.Length == 0 ? $"/apis/{WorkloadKind.ApiVersion}/{Kind.Resource}" : $"/apis/{WorkloadKind.ApiVersion}/namespaces/{Namespace}/{Kind.Resource}";

    public override string ToString() => Namespace.Length == 0 ? $"{Kind.Resource} in all namespaces" : $"{Kind.Resource} in {Namespace}";
}
