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

    /// <summary>
    /// A prefix of repository paths (a registry, or a registry and the leading part of a path), read as container
    /// runtimes read the repositories under it: <c>acme</c> is <c>docker.io/acme</c>, <c>index.docker.io/acme</c> is
    /// <c>docker.io/acme</c>, <c>ghcr.io</c> stays <c>ghcr.io</c>. No <c>library/</c> is added: a prefix names an owner.
    /// </summary>
    public static string NormalisePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var trimmed = prefix.TrimEnd('/');
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? trimmed : trimmed[..slash];
        if (!LooksLikeHost(first))
            return DockerHubRegistry + "/" + trimmed;
        var registry = IsDockerHubAlias(first) ? DockerHubRegistry : first;
        return slash < 0 ? registry : registry + trimmed[slash..];
    }

    private static bool LooksLikeHost(string component) =>
        component.Contains('.', StringComparison.Ordinal) || component.Contains(':', StringComparison.Ordinal) || component == "localhost";

    private static bool IsDockerHubAlias(string host) => host is DockerHubRegistry or "index.docker.io" or "registry-1.docker.io";

    private static (string Registry, string Path) SplitRegistry(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
            return (DockerHubRegistry, "library/" + name);

        var first = name[..slash];
        if (!LooksLikeHost(first))
            return (DockerHubRegistry, name);

        var registry = IsDockerHubAlias(first) ? DockerHubRegistry : first;
        var path = name[(slash + 1)..];
        if (registry == DockerHubRegistry && !path.Contains('/', StringComparison.Ordinal))
            path = "library/" + path;
        return (registry, path);
    }
}
