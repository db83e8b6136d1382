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

    private static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value, bool ignoreCase)
    {
        while (!pattern.IsEmpty && pattern[0] != '*')
        {
            if (value.IsEmpty || !Same(pattern[0], value[0], ignoreCase))
                return false;
            pattern = pattern[1..];
            value = value[1..];
        }
        if (pattern.IsEmpty)
            return value.IsEmpty;
        var deep = pattern.Length > 1 && pattern[1] == '*';
        var rest = pattern[(deep ? 2 : 1)..];
        for (var i = 0; i <= value.Length; i++)
        {
            if (Glob(rest, value[i..], ignoreCase))
                return true;
            if (i < value.Length && !deep && value[i] == '/')
                return false;
        }
        return false;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToLowerInvariant(a) == char.ToLowerInvariant(b));
}
