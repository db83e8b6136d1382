namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// A watched workload that runs the event's repository but did not match: with other tags (<paramref name="Tags"/>),
/// or pinned by a digest with another tag. <paramref name="Note"/> says what else would have stopped it (paused, opted out).
/// </summary>
public sealed record NearMiss(WorkloadKey Workload, IReadOnlyList<string> Tags, string? Note)
{
    /// <summary><c>Deployment shop/web (v1, v2; paused)</c>.</summary>
    public override string ToString() => $"{Workload} ({string.Join(", ", Tags)}{(Note is null ? "" : "; " + Note)})";
}
