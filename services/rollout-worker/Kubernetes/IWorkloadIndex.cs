namespace Kuberollouttrigger.RolloutWorker.Kubernetes;

/// <summary>
/// In-memory index image reference -> Deployments in the allowed namespaces, fed by list + watch,
/// so matching an event costs no API call.
/// </summary>
public interface IWorkloadIndex
{
    /// <summary>True once the initial list of every watched namespace has been loaded.</summary>
    bool IsSynced { get; }

    /// <summary>Number of Deployments currently indexed.</summary>
    int Count { get; }

    /// <summary>
    /// The Deployments whose containers or init containers use <paramref name="image"/> with one of <paramref name="tags"/>,
    /// compared after normalising references as container runtimes do; each Deployment appears once, sorted by namespace then name.
    /// </summary>
    IReadOnlyList<WorkloadMatch> Match(string image, IReadOnlyList<string> tags);
}
