namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>What matching needs of one container: its name, normalised repository, tag, and whether a digest pins it.</summary>
public sealed record IndexedContainer(string Name, string Repository, string? Tag, bool PinnedByDigest);
