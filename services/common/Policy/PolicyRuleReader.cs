using YamlDotNet.RepresentationModel;

namespace Kuberollouttrigger.Common.Policy;

/// <summary>Reads one entry of <c>rules</c>.</summary>
public static class PolicyRuleReader
{
    private static readonly string[] Keys = ["name", "repositories", "repository_owner_id", "repository_id", "images", "refs", "environments", "job_workflow_refs"];

    public static PolicyRule? Read(YamlNode node, int number, PolicyYamlFields fields)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(fields);
        var where = $"rule {number}: ";
        if (node is not YamlMappingNode rule)
        {
            fields.Errors.Add($"line {node.Start.Line}: {where}a rule must be a mapping");
            return null;
        }
        var before = fields.Errors.Count;
        fields.RejectUnknown(rule, Keys, where);
        fields.Scalar(rule, "name", where);
        var repositories = fields.Patterns(rule, "repositories", where, required: true, ignoreCase: true, lowercaseValues: false, placeholders: false);
        foreach (var repository in repositories ?? [])
        {
            if (!repository.ToString().Contains('/', StringComparison.Ordinal))
                fields.Errors.Add($"line {rule.Start.Line}: {where}repositories: '{repository}' must be owner/name (globs allowed, e.g. acme/*)");
        }
        var ownerId = fields.NumericId(rule, "repository_owner_id", where);
        var repositoryId = fields.NumericId(rule, "repository_id", where);
        var images = fields.Patterns(rule, "images", where, required: true, ignoreCase: false, lowercaseValues: true, placeholders: true);
        foreach (var image in images ?? [])
        {
            if (image.ImageBindingError() is { } unbound)
                fields.Errors.Add($"line {rule.Start.Line}: {where}images: {unbound}");
        }
        var refs = fields.Patterns(rule, "refs", where, required: false, ignoreCase: false, lowercaseValues: false, placeholders: true);
        var environments = fields.Patterns(rule, "environments", where, required: false, ignoreCase: true, lowercaseValues: false, placeholders: false);
        var workflows = fields.Patterns(rule, "job_workflow_refs", where, required: false, ignoreCase: false, lowercaseValues: false, placeholders: true);
        if (fields.Errors.Count > before || repositories is null || images is null)
            return null;
        return new PolicyRule(rule.Start.Line, repositories, ownerId, repositoryId, images, refs, environments, workflows);
    }
}
