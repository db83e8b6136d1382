namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// Why an event restarted nothing, in one line for its log line and its status record: what the worker watches, and
/// the watched workloads that run the same repository with other tags (or say that none do, so the workload is
/// elsewhere: another namespace or kind, or another image name).
/// </summary>
public static class NoMatchReason
{
    private const int Listed = 10;

    public static string For(string image, IReadOnlyList<string> tags, IReadOnlyList<NearMiss> nearMisses, ClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(nearMisses);
        ArgumentNullException.ThrowIfNull(cluster);
        var kinds = string.Join(", ", cluster.Kinds.Select(k => k.Resource));
        var where = cluster.Namespaces.Count == 0 ? "all namespaces" : "namespaces " + string.Join(", ", cluster.Namespaces);
        var wanted = $"no watched workload ({kinds} in {where}) runs {image} with tag {string.Join(" or ", tags)}";
        if (nearMisses.Count == 0)
            return $"{wanted}, and none runs {image} with any tag: check the image name and registry host, and whether the workload is in a watched namespace (ALLOWED_NAMESPACES) and of a watched kind (WORKLOAD_KINDS)";
        var listed = string.Join(", ", nearMisses.Take(Listed));
        var more = nearMisses.Count > Listed ? $" and {nearMisses.Count - Listed} more" : "";
        return $"{wanted}; it runs with other tags in: {listed}{more}";
    }
}
