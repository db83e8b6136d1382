namespace Kuberollouttrigger.Common.Images;

/// <summary>
/// A container image reference split the way container runtimes read it:
/// <c>[registry/]path[:tag][@digest]</c>, with Docker Hub's implicit registry and <c>library/</c> namespace filled in.
/// </summary>
public sealed record ImageReference(string Registry, string Path, string? Tag, string? Digest)
{
    public const string DockerHubRegistry = "docker.io";

    /// <summary>The repository without tag or digest, normalised: <c>nginx</c> becomes <c>docker.io/library/nginx</c>.</summary>
    public string Repository => $"{Registry}/{Path}";

    public bool IsPinnedByDigest => Digest is not null;

    /// <summary>
    /// Reads any reference a pod spec may hold. Returns null for text no runtime would pull.
    /// </summary>
    public static ImageReference? Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Length is 0 or > ImageGrammar.MaxReferenceLength)
            return null;

        var rest = reference;
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!ImageGrammar.IsDigest(digest))
                return null;
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!ImageGrammar.IsTag(tag))
                return null;
        }

        var (registry, path) = SplitRegistry(rest);
        if (!ImageGrammar.IsRepositoryPath(path) || (registry != DockerHubRegistry && !ImageGrammar.IsRegistryHost(registry)))
            return null;
        return new ImageReference(registry, path, tag, digest);
    }

    private static (string Registry, string Path) SplitRegistry(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
            return (DockerHubRegistry, "library/" + name);

        var first = name[..slash];
        var looksLikeHost = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost";
        if (!looksLikeHost)
            return (DockerHubRegistry, name);

        var registry = first is "index.docker.io" or "registry-1.docker.io" ? DockerHubRegistry : first;
        var path = name[(slash + 1)..];
        if (registry == DockerHubRegistry && !path.Contains('/', StringComparison.Ordinal))
            path = "library/" + path;
        return (registry, path);
    }
}
