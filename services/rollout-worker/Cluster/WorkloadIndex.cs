using System.Collections.Concurrent;
using Kuberollouttrigger.Common.Images;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// Workloads of the watched scopes (each enabled kind, in each allowed namespace or all) keyed by the normalised
/// repositories their containers run, so matching an event reads only the workloads that use its image and costs no
/// API call.
/// </summary>
public sealed class WorkloadIndex : IWorkloadIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<WorkloadKey, IndexedWorkload> _workloads = [];
    private readonly Dictionary<string, HashSet<WorkloadKey>> _byRepository = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<WatchScope> _pendingScopes = [];
    private readonly HashSet<WatchScope> _forbiddenScopes = [];
    private readonly HashSet<WorkloadKind> _kinds = [];
    private volatile bool _synced;

    public bool IsSynced => _synced;

    public int Count
    {
        get
        {
            lock (_gate)
                return _workloads.Count;
        }
    }

    /// <summary>Workloads indexed per kind; every kind the index expects is there, with 0 while it has none.</summary>
    public IReadOnlyDictionary<WorkloadKind, int> CountByKind()
    {
        lock (_gate)
        {
            var counts = _kinds.ToDictionary(k => k, _ => 0);
            foreach (var key in _workloads.Keys)
                counts[key.Kind] = counts.GetValueOrDefault(key.Kind) + 1;
            return counts;
        }
    }

    /// <summary>Names the scopes (a kind in a namespace, or in all) whose first list must finish before the index is synced.</summary>
    public void ExpectScopes(IEnumerable<WatchScope> scopes)
    {
        var expected = scopes.ToList();
        lock (_gate)
        {
            _pendingScopes.UnionWith(expected);
            _kinds.UnionWith(expected.Select(s => s.Kind));
            _synced = _pendingScopes.Count == 0;
        }
    }

    /// <summary>Scopes the worker may not list: they count as empty so the others work, and readiness reports them.</summary>
    public IReadOnlyList<WatchScope> ForbiddenScopes
    {
        get
        {
            lock (_gate)
                return [.. _forbiddenScopes.OrderBy(s => s.ToString(), StringComparer.Ordinal)];
        }
    }

    /// <summary>The scope's LIST was refused (403): forget what it held and stop waiting for it.</summary>
    public void MarkForbidden(WatchScope scope)
    {
        lock (_gate)
        {
            foreach (var key in _workloads.Keys.Where(scope.Contains).ToList())
                RemoveLocked(key);
            _forbiddenScopes.Add(scope);
            _pendingScopes.Remove(scope);
            _synced = _pendingScopes.Count == 0;
        }
    }

    /// <summary>Replaces everything known about a scope with a fresh list and marks it synced.</summary>
    public void ReplaceScope(WatchScope scope, IEnumerable<IndexedWorkload> workloads)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        lock (_gate)
        {
            foreach (var key in _workloads.Keys.Where(scope.Contains).ToList())
                RemoveLocked(key);
            foreach (var workload in workloads)
                UpsertLocked(workload);
            _forbiddenScopes.Remove(scope);
            _pendingScopes.Remove(scope);
            _synced = _pendingScopes.Count == 0;
        }
    }

    public void Upsert(IndexedWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        lock (_gate)
            UpsertLocked(workload);
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
                if (Decide(_workloads[key], repository, wanted) is { } match)
                    matches.Add(match);
            }
        }
        matches.Sort((a, b) => string.CompareOrdinal(SortKey(a.Workload), SortKey(b.Workload)));
        return matches;
    }

    public IReadOnlyList<NearMiss> NearMisses(string image)
    {
        if (ImageReference.Parse(image) is not { Tag: null, Digest: null } reference)
            return [];
        var misses = new List<NearMiss>();
        lock (_gate)
        {
            if (!_byRepository.TryGetValue(reference.Repository, out var keys))
                return [];
            foreach (var key in keys)
            {
                var workload = _workloads[key];
                var containers = workload.Containers.Where(c => c.Repository == reference.Repository).ToList();
                var tags = containers.Select(c => c.Tag is null ? "digest only" : c.PinnedByDigest ? c.Tag + "@digest" : c.Tag).Distinct(StringComparer.Ordinal).ToList();
                var note = workload.Ignored ? $"annotated {IndexedWorkload.IgnoreAnnotation}" : workload.Paused ? "paused" : null;
                misses.Add(new NearMiss(key, tags, note));
            }
        }
        misses.Sort((a, b) => string.CompareOrdinal(SortKey(a.Workload), SortKey(b.Workload)));
        return misses;
    }

    private static string SortKey(WorkloadKey key) => $"{key.Namespace}/{key.Name}/{key.Kind.Resource}";

    private static WorkloadMatch? Decide(IndexedWorkload workload, string repository, HashSet<string> tags)
    {
        var matching = workload.Containers
            .Where(c => c.Repository == repository && (c.Tag is null ? c.PinnedByDigest : tags.Contains(c.Tag)))
            .ToList();
        if (matching.Count == 0)
            return null;
        var names = matching.Select(c => c.Name).Distinct().ToList();
        WorkloadOutcome? skip = workload.Ignored ? WorkloadOutcome.Ignored
            : workload.Paused ? WorkloadOutcome.SkippedPaused
            : matching.Any(c => !c.PinnedByDigest) ? null
            : WorkloadOutcome.SkippedDigest;
        var cached = skip is null ? matching.Where(c => c.MayKeepCachedImage).Select(c => $"{c.Name} ({c.PullPolicy})").Distinct().ToList() : [];
        return new WorkloadMatch(workload.Key, skip, names, cached, workload.LastEventId);
    }

    private void UpsertLocked(IndexedWorkload workload)
    {
        RemoveLocked(workload.Key);
        _workloads[workload.Key] = workload;
        foreach (var repository in workload.Containers.Select(c => c.Repository).Distinct())
        {
            if (!_byRepository.TryGetValue(repository, out var keys))
                _byRepository[repository] = keys = [];
            keys.Add(workload.Key);
        }
    }

    private void RemoveLocked(WorkloadKey key)
    {
        if (!_workloads.Remove(key, out var old))
            return;
        foreach (var repository in old.Containers.Select(c => c.Repository).Distinct())
        {
            if (_byRepository.TryGetValue(repository, out var keys) && keys.Remove(key) && keys.Count == 0)
                _byRepository.Remove(repository);
        }
    }
}
