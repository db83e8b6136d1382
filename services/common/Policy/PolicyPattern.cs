using System.Text;

namespace Kuberollouttrigger.Common.Policy;

/// <summary>
/// A glob of a policy rule: <c>*</c> matches any characters but <c>/</c>, <c>**</c> any characters at all; everything
/// else is literal. The placeholders <c>{prefix}</c> (the allowed image prefix and a <c>/</c>), <c>{repository}</c>
/// and <c>{repository_name}</c> are replaced with the request's values first (lowercased in image patterns, since
/// images are lowercase), so <c>{prefix}{repository_name}</c> means "the repository's own image".
/// </summary>
public sealed class PolicyPattern
{
    public const string Prefix = "{prefix}";
    public const string Repository = "{repository}";
    public const string RepositoryName = "{repository_name}";
    private static readonly string[] Placeholders = [Prefix, Repository, RepositoryName];

    private readonly string _text;
    private readonly bool _ignoreCase;
    private readonly bool _lowercaseValues;
    private readonly bool _hasPlaceholders;

    private PolicyPattern(string text, bool ignoreCase, bool lowercaseValues)
    {
        _text = text;
        _ignoreCase = ignoreCase;
        _lowercaseValues = lowercaseValues;
        _hasPlaceholders = text.Contains('{', StringComparison.Ordinal);
    }

    public override string ToString() => _text;

    /// <summary>The pattern, or the reason it cannot be one.</summary>
    public static (PolicyPattern? Pattern, string? Error) Parse(string text, bool ignoreCase, bool lowercaseValues, bool placeholdersAllowed)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
            return (null, "an empty pattern matches nothing");
        if (text.Contains("***", StringComparison.Ordinal))
            return (null, $"'{text}': use * or **, not ***");
        var rest = text;
        foreach (var placeholder in Placeholders)
            rest = rest.Replace(placeholder, "", StringComparison.Ordinal);
        if (rest.Contains('{', StringComparison.Ordinal) || rest.Contains('}', StringComparison.Ordinal))
            return (null, $"'{text}': unknown placeholder; only {string.Join(", ", Placeholders)} are known");
        if (!placeholdersAllowed && rest.Length != text.Length)
            return (null, $"'{text}': placeholders are not allowed here");
        if (text.Any(char.IsControl) || text.Any(char.IsWhiteSpace))
            return (null, $"'{text}': patterns contain no spaces or control characters");
        return (new PolicyPattern(text, ignoreCase, lowercaseValues), null);
    }

    /// <summary>
    /// For an image pattern: why it does not bind images to the repository that builds them, or null. A repository
    /// placeholder must be a whole path component (after <c>/</c>, <c>{prefix}</c> or the start, before <c>/</c> or the
    /// end): <c>{prefix}{repository_name}-*</c> would give <c>acme/app</c> the image <c>app-admin</c> of the repository
    /// <c>acme/app-admin</c>, and <c>{prefix}team-{repository_name}</c> the image of <c>acme/team-app</c>.
    /// </summary>
    public string? ImageBindingError()
    {
        foreach (var placeholder in new[] { Repository, RepositoryName })
        {
            for (var at = _text.IndexOf(placeholder, StringComparison.Ordinal); at >= 0; at = _text.IndexOf(placeholder, at + 1, StringComparison.Ordinal))
            {
                var before = _text[..at];
                var after = _text[(at + placeholder.Length)..];
                var startsComponent = before.Length == 0 || before.EndsWith('/') || before.EndsWith(Prefix, StringComparison.Ordinal);
                var endsComponent = after.Length == 0 || after.StartsWith('/');
                if (!startsComponent || !endsComponent)
                    return $"'{_text}': {placeholder} must be a whole path component (between / and / or the end): anything next to it lets the "
                        + $"name run on into another repository's image (app-admin for app); bind more images as {Prefix}{RepositoryName}/…";
            }
        }
        return null;
    }

    public bool IsMatch(string value, PolicyRequest request, string imagePrefix)
    {
        ArgumentNullException.ThrowIfNull(value);
        var pattern = _hasPlaceholders ? Expand(request, imagePrefix) : _text;
        return Glob(pattern, value, _ignoreCase);
    }

    private string Expand(PolicyRequest request, string imagePrefix)
    {
        string Value(string s) => _lowercaseValues ? s.ToLowerInvariant() : s;
        // The values come from a verified token; GitHub names never contain '*', so they stay literal.
        return new StringBuilder(_text)
            .Replace(Prefix, imagePrefix.TrimEnd('/') + "/")
            .Replace(RepositoryName, Value(request.RepositoryName))
            .Replace(Repository, Value(request.Repository))
            .ToString();
    }

    /// <summary>
    /// Matches in time proportional to the value's length times the pattern's, whatever the stars: the set of pattern
    /// positions reachable so far advances one value character at a time (a backtracking matcher took exponential
    /// time on an operator's <c>*a*a*a*b</c> and a long, attacker-chosen image).
    /// </summary>
    private static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value, bool ignoreCase)
    {
        // Position i of the pattern is reached when the value read so far can be matched by pattern[..i].
        Span<bool> reached = pattern.Length < 256 ? stackalloc bool[pattern.Length + 1] : new bool[pattern.Length + 1];
        Span<bool> next = pattern.Length < 256 ? stackalloc bool[pattern.Length + 1] : new bool[pattern.Length + 1];
        reached.Clear();
        reached[0] = true;
        SkipEmptyStars(pattern, reached);
        foreach (var c in value)
        {
            next.Clear();
            var any = false;
            for (var i = 0; i < pattern.Length; i++)
            {
                if (!reached[i])
                    continue;
                if (pattern[i] != '*')
                {
                    if (Same(pattern[i], c, ignoreCase))
                        any = next[i + 1] = true;
                    continue;
                }
                var deep = i + 1 < pattern.Length && pattern[i + 1] == '*';
                if (deep || c != '/')
                    any = next[i] = true;
                if (deep)
                    i++;
            }
            if (!any)
                return false;
            SkipEmptyStars(pattern, next);
            next.CopyTo(reached);
        }
        return reached[pattern.Length];
    }

    /// <summary>A star (or <c>**</c>) may match nothing: whoever reaches it also reaches what follows it.</summary>
    private static void SkipEmptyStars(ReadOnlySpan<char> pattern, Span<bool> reached)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (!reached[i] || pattern[i] != '*')
                continue;
            var after = i + 1 < pattern.Length && pattern[i + 1] == '*' ? i + 2 : i + 1;
            reached[after] = true;
        }
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToLowerInvariant(a) == char.ToLowerInvariant(b));
}
