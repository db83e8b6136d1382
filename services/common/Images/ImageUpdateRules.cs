namespace Kuberollouttrigger.Common.Images;

/// <summary>
/// The rules an image update must meet, applied by the ingress to requests and again by the worker to messages,
/// so a forged message on Valkey cannot reach past the allowed prefix.
/// </summary>
public sealed class ImageUpdateRules
{
    public const int MaxTags = 64;

    private readonly string _prefix;

    // The prefix as the repositories under it read once normalised, followed by "/": "acme/" and
    // "index.docker.io/acme" both become "docker.io/acme/".
    private readonly string _normalisedPrefix;

    /// <param name="allowedImagePrefix">A registry, or a leading part of a repository path ending at a <c>/</c>, e.g. <c>ghcr.io/acme</c>.</param>
    public ImageUpdateRules(string allowedImagePrefix)
    {
        var error = CheckPrefix(allowedImagePrefix);
        if (error is not null)
            throw new ArgumentException(error, nameof(allowedImagePrefix));
        _prefix = allowedImagePrefix.TrimEnd('/');
        _normalisedPrefix = ImageReference.NormalisePrefix(_prefix) + "/";
    }

    public string AllowedPrefix => _prefix;

    /// <summary>Why a configured prefix cannot be used, or null when it can.</summary>
    public static string? CheckPrefix(string? prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix))
            return "the allowed image prefix is empty";
        var trimmed = prefix.TrimEnd('/');
        if (trimmed.Length == 0 || !IsLowercaseRepository(trimmed))
            return "the allowed image prefix must be a lowercase repository path such as ghcr.io/acme (no tag, no digest)";
        return null;
    }

    /// <summary>Why <paramref name="image"/> is refused, or null when it is allowed.</summary>
    public string? CheckImage(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Length == 0)
            return "image is empty";
        if (image.Length > ImageGrammar.MaxReferenceLength)
            return $"image is longer than {ImageGrammar.MaxReferenceLength} characters";
        if (image.Contains('@', StringComparison.Ordinal))
            return "image must not contain a digest";
        var lastSlash = image.LastIndexOf('/');
        if (image.LastIndexOf(':') > lastSlash)
            return "image must not contain a tag; put tags in the tags array";
        if (!IsLowercaseRepository(image))
            return "image is not a valid lowercase OCI repository reference";
        if (!IsUnderPrefix(image))
            return $"image is not under the allowed image prefix: it must name a repository below {_prefix}/ (such as {_prefix}/app)";
        return null;
    }

    /// <summary>Checks every tag and returns them without duplicates, first occurrence first.</summary>
    public static TagCheck CheckTags(IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Count == 0)
            return new TagCheck([], "tags must hold at least one tag");
        if (tags.Count > MaxTags)
            return new TagCheck([], $"tags must hold at most {MaxTags} tags");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = new List<string>(tags.Count);
        for (var i = 0; i < tags.Count; i++)
        {
            if (!ImageGrammar.IsTag(tags[i]))
                return new TagCheck([], $"tags[{i}] is not a valid tag ([A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})");
            if (seen.Add(tags[i]))
                unique.Add(tags[i]);
        }
        return new TagCheck(unique, null);
    }

    /// <summary>
    /// Strictly below the prefix, compared as container runtimes read both: the image's normalised repository must
    /// start with the normalised prefix and a <c>/</c>. An image equal to the prefix's owner (<c>docker.io/acme</c>
    /// under <c>docker.io/acme/</c>) is refused, since it normalises to another owner's <c>docker.io/library/acme</c>.
    /// </summary>
    private bool IsUnderPrefix(string image) =>
        ImageReference.Parse(image) is { } reference
        && reference.Repository.StartsWith(_normalisedPrefix, StringComparison.Ordinal)
        && reference.Repository.Length > _normalisedPrefix.Length;

    private static bool IsLowercaseRepository(string name)
    {
        foreach (var c in name)
        {
            if (c > 0x7f || char.IsAsciiLetterUpper(c))
                return false;
        }
        var parsed = ImageReference.Parse(name);
        return parsed is { Tag: null, Digest: null };
    }
}
