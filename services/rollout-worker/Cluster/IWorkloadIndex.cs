namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// In-memory index image reference -> workloads of the enabled kinds in the allowed namespaces, fed by list + watch,
/// so matching an event costs no API call.
/// </summary>
public interface IWorkloadIndex
{
    /// <summary>True once the initial list of every enabled kind in every watched namespace has been loaded.</summary>
    bool IsSynced { get; }

    /// <summary>Number of workloads currently indexed, all kinds together.</summary>
    int Count { get; }

    /// <summary>Number of workloads currently indexed, per kind.</summary>
    IReadOnlyDictionary<WorkloadKind, int> CountByKind();

    /// <summary>
    /// The workloads whose containers or init containers use <paramref name="image"/> with one of <paramref name="tags"/>,
    /// compared after normalising references as container runtimes do; each workload appears once, sorted by namespace,
    /// name, then kind.
    /// </summary>
    IReadOnlyList<WorkloadMatch> Match(string image, IReadOnlyList<string> tags);

    /// <summary>
    /// The watched workloads that run <paramref name="image"/>'s repository at all, with the tags they run: asked when
    /// an event matched nothing, to say why (a different tag, a digest). Sorted like <see cref="Match"/>.
    /// </summary>
    IReadOnlyList<NearMiss> NearMisses(string image);
}
