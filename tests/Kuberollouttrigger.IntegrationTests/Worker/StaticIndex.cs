using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.IntegrationTests.Worker;

/// <summary>An index with fixed contents, for consumer tests that are about the pipeline rather than matching.</summary>
public sealed class StaticIndex(params WorkloadMatch[] matches) : IWorkloadIndex
{
    private readonly Dictionary<string, WorkloadMatch[]> _others = [];
    private volatile bool _synced = true;
    private int _unsyncedReads;

    /// <summary>Makes <paramref name="image"/> match <paramref name="more"/> too.</summary>
    public StaticIndex With(string image, params WorkloadMatch[] more)
    {
        _others[image] = more;
        return this;
    }

    public bool IsSynced
    {
        get
        {
            if (!_synced)
                Interlocked.Increment(ref _unsyncedReads);
            return _synced;
        }
        set => _synced = value;
    }

    /// <summary>How often the index was asked whether it synced while it had not: the signal that a message met it unsynced.</summary>
    public int UnsyncedReads => Volatile.Read(ref _unsyncedReads);

    public int Count => matches.Length;

    public IReadOnlyDictionary<WorkloadKind, int> CountByKind() => matches.GroupBy(m => m.Workload.Kind).ToDictionary(g => g.Key, g => g.Count());

    public int Lookups { get; private set; }

    public IReadOnlyList<WorkloadMatch> Match(string image, IReadOnlyList<string> tags)
    {
        Lookups++;
        return image == "ghcr.io/acme/app" ? matches : _others.GetValueOrDefault(image, []);
    }

    public IReadOnlyList<NearMiss> NearMisses(string image) => [];
}
