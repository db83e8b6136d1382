using System.Collections.Concurrent;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>Bearer tokens and what each may do: verbs on deployments, per namespace or cluster-wide ("*").</summary>
public sealed class FakeKubeRbac
{
    public const string AdminToken = "admin-token";
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string Namespace, string Verb), bool>> _grants = new(StringComparer.Ordinal);

    public FakeKubeRbac() => Grant(AdminToken, "*", "get", "list", "watch", "patch");

    /// <summary>Lets <paramref name="token"/> use <paramref name="verbs"/> on deployments in <paramref name="ns"/> ("*" for every namespace).</summary>
    public void Grant(string token, string ns, params string[] verbs)
    {
        var grants = _grants.GetOrAdd(token, _ => new());
        foreach (var verb in verbs)
            grants[(ns, verb)] = true;
    }

    public void Revoke(string token, string ns, string verb)
    {
        if (_grants.TryGetValue(token, out var grants))
            grants.TryRemove((ns, verb), out _);
    }

    public bool Knows(string? token) => token is not null && _grants.ContainsKey(token);

    /// <summary>Cluster-wide requests (ns null) need a "*" grant; namespaced ones either.</summary>
    public bool Allows(string token, string? ns, string verb) =>
        _grants.TryGetValue(token, out var grants) && (grants.ContainsKey(("*", verb)) || (ns is not null && grants.ContainsKey((ns, verb))));
}
