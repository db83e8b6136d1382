using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kuberollouttrigger.Common.Policy;

/// <summary>
/// Reads a policy file strictly: known keys only, every list non-empty, ids numeric, patterns valid. Every problem is
/// reported with its line, so a policy is fixed in one round.
/// </summary>
public static class PolicyFileReader
{
    private static readonly string[] TopKeys = ["version", "repository_owner_id", "rules"];

    public static PolicyReadResult ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return PolicyReadResult.Fail($"cannot read '{path}': {e.Message}");
        }
        return Read(text);
    }

    public static PolicyReadResult Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return PolicyReadResult.Fail($"line {e.Start.Line}: not valid YAML: {FirstLine(e.Message)}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this for some unterminated flow collections.
            return PolicyReadResult.Fail("not valid YAML (an unterminated [ or { ?)");
        }
        if (stream.Documents.Count != 1)
            return PolicyReadResult.Fail("the file must hold exactly one YAML document");
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            return PolicyReadResult.Fail($"line {stream.Documents[0].RootNode.Start.Line}: the file must be a mapping with 'rules'");

        var errors = new List<string>();
        var fields = new PolicyYamlFields(errors);
        fields.RejectUnknown(root, TopKeys, "");
        if (fields.Scalar(root, "version", "") is { } version && version != "1")
            errors.Add($"line {root.Start.Line}: version must be 1");
        var ownerId = fields.NumericId(root, "repository_owner_id", "");
        var rules = new List<PolicyRule>();
        if (!root.Children.TryGetValue(new YamlScalarNode("rules"), out var rulesNode))
            errors.Add($"line {root.Start.Line}: 'rules' is missing");
        else if (rulesNode is not YamlSequenceNode { Children.Count: > 0 } sequence)
            errors.Add($"line {rulesNode.Start.Line}: 'rules' must be a list of at least one rule");
        else
        {
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                if (PolicyRuleReader.Read(sequence.Children[i], i + 1, fields) is { } rule)
                    rules.Add(rule);
            }
        }
        return errors.Count > 0 ? new PolicyReadResult(null, errors) : new PolicyReadResult(new AuthorizationPolicy(ownerId, rules), []);
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
