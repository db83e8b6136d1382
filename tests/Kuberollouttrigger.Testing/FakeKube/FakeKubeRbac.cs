using System.Collections.Concurrent;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>Bearer tokens and what each may do: verbs on a resource, per namespace or cluster-wide ("*").</summary>
public sealed class FakeKubeRbac
{
    public const string AdminToken = "admin-token";
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string Resource, string Namespace, string Verb), bool>> _grants = new(StringComparer.Ordinal);

    public FakeKubeRbac()
    {
        foreach (var workload in FakeResource.Workloads)
            GrantOn(AdminToken, workload.Plural, "*", "get", "list", "watch", "patch");
        GrantOn(AdminToken, FakeResource.Events.Plural, "*", "create");
    }

    /// <summary>Lets <paramref name="token"/> use <paramref name="verbs"/> on deployments in <paramref name="ns"/> ("*" for every namespace).</summary>
    public void Grant(string token, string ns, params string[] verbs) => GrantOn(token, FakeResource.Deployments.Plural, ns, verbs);

    /// <summary>Lets <paramref name="token"/> use <paramref name="verbs"/> on <paramref name="resource"/> (a plural such as statefulsets) in <paramref name="ns"/>.</summary>
    public void GrantOn(string token, string resource, string ns, params string[] verbs)
    {
        ArgumentNullException.ThrowIfNull(verbs);
        var grants = _grants.GetOrAdd(token, _ => new());
        foreach (var verb in verbs)
            grants[(resource, ns, verb)] = true;
    }

    /// <summary>
    /// Grants what one RBAC PolicyRule (apiGroups, resources, verbs; "*" allowed) says, for the resources this fake
    /// serves, in <paramref name="ns"/> (a Role's namespace) or "*" (a ClusterRole bound cluster-wide).
    /// </summary>
    public void GrantRule(string token, string ns, IReadOnlyCollection<string> apiGroups, IReadOnlyCollection<string> resources, IReadOnlyCollection<string> verbs)
    {
        ArgumentNullException.ThrowIfNull(apiGroups);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(verbs);
        string[] served = ["get", "list", "watch", "patch", "create"];
        foreach (var resource in FakeResource.Workloads.Append(FakeResource.Events))
        {
            if ((apiGroups.Contains(resource.Group) || apiGroups.Contains("*")) && (resources.Contains(resource.Plural) || resources.Contains("*")))
                GrantOn(token, resource.Plural, ns, [.. verbs.Contains("*") ? served : verbs]);
        }
        _grants.GetOrAdd(token, _ => new());
    }

    public void Revoke(string token, string ns, string verb, string resource = "deployments")
    {
        if (_grants.TryGetValue(token, out var grants))
            grants.TryRemove((resource, ns, verb), out _);
    }

    public bool Knows(string? token) => token is not null && _grants.ContainsKey(token);

    /// <summary>Cluster-wide requests (ns null) need a "*" grant; namespaced ones either.</summary>
    public bool Allows(string token, string resource, string? ns, string verb) =>
        _grants.TryGetValue(token, out var grants)
        && (grants.ContainsKey((resource, "*", verb)) || (ns is not null && grants.ContainsKey((resource, ns, verb))));
}
