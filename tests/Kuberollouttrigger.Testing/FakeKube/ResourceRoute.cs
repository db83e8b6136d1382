namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>
/// <c>/apis/apps/v1/{workloads}</c>, <c>/apis/apps/v1/namespaces/{ns}/{workloads}[/{name}]</c> for deployments,
/// statefulsets and daemonsets, or <c>/api/v1/namespaces/{ns}/events[/{name}]</c>.
/// </summary>
public sealed record ResourceRoute(FakeResource Resource, string? Namespace, string? Name)
{
    public static ResourceRoute? Parse(string path)
    {
        var parts = path.Trim('/').Split('/');
        if (parts is ["api", "v1", "namespaces", var eventsNs, "events", .. var eventName] && eventName.Length <= 1)
            return new ResourceRoute(FakeResource.Events, eventsNs, eventName.Length == 1 ? eventName[0] : null);
        if (parts.Length < 4 || parts[0] != "apis" || parts[1] != "apps" || parts[2] != "v1")
            return null;
        if (parts.Length == 4 && Workload(parts[3]) is { } all)
            return new ResourceRoute(all, null, null);
        if (parts.Length is 6 or 7 && parts[3] == "namespaces" && Workload(parts[5]) is { } resource)
            return new ResourceRoute(resource, parts[4], parts.Length == 7 ? parts[6] : null);
        return null;
    }

    private static FakeResource? Workload(string plural) => FakeResource.Workloads.FirstOrDefault(r => r.Plural == plural);
}
