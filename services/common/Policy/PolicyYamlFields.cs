using YamlDotNet.RepresentationModel;

namespace Kuberollouttrigger.Common.Policy;

/// <summary>Typed reads of mapping members that add a line-numbered error instead of throwing.</summary>
public sealed class PolicyYamlFields(List<string> errors)
{
    public List<string> Errors { get; } = errors;

    public void RejectUnknown(YamlMappingNode mapping, IReadOnlyList<string> known, string where)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        foreach (var key in mapping.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!known.Contains(name))
                Errors.Add($"line {key.Start.Line}: {where}unknown key '{name}'; known keys are {string.Join(", ", known)}");
        }
    }

    public string? Scalar(YamlMappingNode mapping, string key, string where)
    {
        if (!TryGet(mapping, key, out var node))
            return null;
        if (node is YamlScalarNode { Value: { Length: > 0 } value })
            return value;
        Errors.Add($"line {node.Start.Line}: {where}{key} must be a single value");
        return null;
    }

    public string? NumericId(YamlMappingNode mapping, string key, string where)
    {
        var value = Scalar(mapping, key, where);
        if (value is null || (value.Length <= 20 && value.All(char.IsAsciiDigit)))
            return value;
        Errors.Add($"line {mapping.Children[new YamlScalarNode(key)].Start.Line}: {where}{key} must be a number (GitHub's numeric id), not '{value}'");
        return null;
    }

    /// <summary>A list of patterns (a single value counts as a list of one); null when absent or invalid.</summary>
    public List<PolicyPattern>? Patterns(YamlMappingNode mapping, string key, string where, bool required, bool ignoreCase, bool lowercaseValues, bool placeholders)
    {
        if (!TryGet(mapping, key, out var node))
        {
            if (required)
                Errors.Add($"line {mapping.Start.Line}: {where}'{key}' is missing");
            return null;
        }
        IReadOnlyList<YamlNode> items = node switch
        {
            YamlSequenceNode sequence => [.. sequence.Children],
            YamlScalarNode { Value.Length: > 0 } => [node],
            _ => [],
        };
        if (items.Count == 0)
        {
            Errors.Add($"line {node.Start.Line}: {where}{key} must list at least one value (leave it out to allow any)");
            return null;
        }
        var patterns = new List<PolicyPattern>();
        foreach (var item in items)
        {
            if (item is not YamlScalarNode { Value: { } text })
            {
                Errors.Add($"line {item.Start.Line}: {where}{key} must hold plain values");
                continue;
            }
            var (pattern, error) = PolicyPattern.Parse(text, ignoreCase, lowercaseValues, placeholders);
            if (pattern is null)
                Errors.Add($"line {item.Start.Line}: {where}{key}: {error}");
            else
                patterns.Add(pattern);
        }
        return patterns.Count == items.Count ? patterns : null;
    }

    private static bool TryGet(YamlMappingNode mapping, string key, out YamlNode node)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return mapping.Children.TryGetValue(new YamlScalarNode(key), out node!);
    }
}
