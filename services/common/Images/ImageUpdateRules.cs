namespace Kuberollouttrigger.Common.Images;

/// <summary>
/// The rules an image update must meet, applied by the ingress to requests and again by the worker to messages,
/// so a forged message on Valkey cannot reach past the allowed prefix.
/// </summary>
public sealed class ImageUpdateRules
{
    public const int MaxTags = 64;

    private readonly string _prefix;

    /// <param name="allowedImagePrefix">A repository reference or a leading part of one ending at a <c>/</c>, e.g. <c>ghcr.io/acme</c>.</param>
    public ImageUpdateRules(string allowedImagePrefix)
    {
        var error = CheckPrefix(allowedImagePrefix);
        if (error is not null)
            throw new ArgumentException(error, nameof(allowedImagePrefix));
        _prefix = allowedImagePrefix.TrimEnd('/');
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
            return "image is not under the allowed image prefix";
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

    private bool IsUnderPrefix(string image) =>
        image.StartsWith(_prefix, StringComparison.Ordinal)
        && (image.Length == _prefix.Length || image[_prefix.Length] == '/');

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
