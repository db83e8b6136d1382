namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// What matching needs of one container: its name, normalised repository, tag, whether a digest pins it, and its
/// effective <c>imagePullPolicy</c> (<c>Always</c>, <c>IfNotPresent</c> or <c>Never</c>).
/// </summary>
public sealed record IndexedContainer(string Name, string Repository, string? Tag, bool PinnedByDigest, string PullPolicy = IndexedContainer.Always)
{
    public const string Always = "Always";
    public const string IfNotPresent = "IfNotPresent";

    /// <summary>
    /// A restart pulls the tag again only with <c>Always</c>: otherwise a node that already has the tag keeps
    /// running its copy, and a restart after pushing the same tag changes nothing there.
    /// </summary>
    public bool MayKeepCachedImage => !PinnedByDigest && PullPolicy != Always;

    /// <summary>The policy Kubernetes applies when the container sets none: Always for <c>latest</c> (or no tag), else IfNotPresent.</summary>
    public static string DefaultPullPolicy(string? tag, bool pinnedByDigest) =>
        !pinnedByDigest && (tag is null or "latest") ? Always : IfNotPresent;
}
