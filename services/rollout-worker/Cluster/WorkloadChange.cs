namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>How the watcher came to see a workload object.</summary>
public enum WorkloadChange
{
    /// <summary>An item of a (re)list; a relist replaces everything known of its scope.</summary>
    Listed,

    Added,

    Modified,

    Deleted,
}
