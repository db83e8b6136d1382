using System.Collections.Concurrent;
using Kuberollouttrigger.Common.Images;
using Kuberollouttrigger.RolloutWorker.Kubernetes;

namespace Kuberollouttrigger.RolloutWorker.Discovery;

/// <summary>
/// Deployments of the watched scopes keyed by the normalised repositories their containers run, so matching an event
/// reads only the Deployments that use its image and costs no API call.
/// </summary>
public sealed class WorkloadIndex : IWorkloadIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<WorkloadKey, IndexedWorkload> _deployments = [];
    private readonly Dictionary<string, HashSet<WorkloadKey>> _byRepository = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pendingScopes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _forbiddenScopes = new(StringComparer.Ordinal);
    private volatile bool _synced;

    public bool IsSynced => _synced;

    public int Count
    {
        get
        {
            lock (_gate)
                return _deployments.Count;
        }
    }

    /// <summary>Names the scopes (namespaces, or "" for all) whose first list must finish before the index is synced.</summary>
    public void ExpectScopes(IEnumerable<string> scopes)
    {
        lock (_gate)
        {
            _pendingScopes.UnionWith(scopes);
            _synced = _pendingScopes.Count == 0;
        }
    }

    /// <summary>Namespaces the worker may not list: they count as empty so the others work, and readiness reports them.</summary>
    public IReadOnlyList<string> ForbiddenScopes
    {
        get
        {
            lock (_gate)
                return [.. _forbiddenScopes.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>The scope's LIST was refused (403): forget what it held and stop waiting for it.</summary>
    public void MarkForbidden(string scope)
    {
        lock (_gate)
        {
            foreach (var key in _deployments.Keys.Where(k => k.Namespace == scope).ToList())
                RemoveLocked(key);
            _forbiddenScopes.Add(scope);
            _pendingScopes.Remove(scope);
            _synced = _pendingScopes.Count == 0;
        }
    }

    /// <summary>Replaces everything known about a scope with a fresh list ("" = all namespaces) and marks it synced.</summary>
    public void ReplaceScope(string scope, IEnumerable<IndexedWorkload> deployments)
    {
        ArgumentNullException.ThrowIfNull(deployments);
        lock (_gate)
        {
            foreach (var key in _deployments.Keys.Where(k => scope.Length == 0 || k.Namespace == scope).ToList())
                RemoveLocked(key);
            foreach (var deployment in deployments)
                UpsertLocked(deployment);
            _forbiddenScopes.Remove(scope);
            _pendingScopes.Remove(scope);
            _synced = _pendingScopes.Count == 0;
        }
    }

    public void Upsert(IndexedWorkload deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        lock (_gate)
            UpsertLocked(deployment);
    }

    public void Remove(WorkloadKey key)
    {
        lock (_gate)
            RemoveLocked(key);
    }

    /// <summary>Shares one string instance for repeated repository, tag, container and namespace names.</summary>
    public string Intern(string value) => _strings.GetOrAdd(value, value);

    public IReadOnlyList<WorkloadMatch> Match(string image, IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (ImageReference.Parse(image) is not { Tag: null, Digest: null } reference)
            return [];
        var repository = reference.Repository;
        var wanted = new HashSet<string>(tags, StringComparer.Ordinal);
        var matches = new List<WorkloadMatch>();
        lock (_gate)
        {
            if (!_byRepository.TryGetValue(repository, out var keys))
                return [];
            foreach (var key in keys)
            {
                if (Decide(_deployments[key], repository, wanted) is { } match)
                    matches.Add(match);
            }
        }
        matches.Sort((a, b) => string.CompareOrdinal(a.Workload.ToString(), b.Workload.ToString()));
        return matches;
    }

    private static WorkloadMatch? Decide(IndexedWorkload deployment, string repository, HashSet<string> tags)
    {
        var matching = deployment.Containers
            .Where(c => c.Repository == repository && (c.Tag is null ? c.PinnedByDigest : tags.Contains(c.Tag)))
            .ToList();
        if (matching.Count == 0)
            return null;
        var names = matching.Select(c => c.Name).Distinct().ToList();
        var decision = deployment.Ignored ? MatchDecision.Ignored
            : deployment.Paused ? MatchDecision.SkippedPaused
            : matching.Any(c => !c.PinnedByDigest) ? MatchDecision.Restart
            : MatchDecision.SkippedDigest;
        return new WorkloadMatch(deployment.Key, decision, names);
    }

    private void UpsertLocked(IndexedWorkload deployment)
    {
        RemoveLocked(deployment.Key);
        _deployments[deployment.Key] = deployment;
        foreach (var repository in deployment.Containers.Select(c => c.Repository).Distinct())
        {
            if (!_byRepository.TryGetValue(repository, out var keys))
                _byRepository[repository] = keys = [];
            keys.Add(deployment.Key);
        }
    }

    private void RemoveLocked(WorkloadKey key)
    {
        if (!_deployments.Remove(key, out var old))
            return;
        foreach (var repository in old.Containers.Select(c => c.Repository).Distinct())
        {
            if (_byRepository.TryGetValue(repository, out var keys) && keys.Remove(key) && keys.Count == 0)
                _byRepository.Remove(repository);
        }
    }
}
