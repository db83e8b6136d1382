using Kuberollouttrigger.RolloutWorker.Configuration;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>Refuses, at start, namespaces that are not namespace names and workload kinds the worker does not know.</summary>
public sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.AllowedNamespaces) && options.Namespaces.Count == 0)
            failures.Add($"{WorkerSettings.AllowedNamespaces.Names} names no namespace ('{options.AllowedNamespaces}'); leave it unset to watch every namespace");
        else if (!options.Namespaces.All(IsNamespaceName))
            failures.Add($"{WorkerSettings.AllowedNamespaces.Names} must be a comma-separated list of namespace names (lowercase letters, digits and '-'), not '{options.AllowedNamespaces}'");
        var kinds = WorkloadKind.ParseList(options.WorkloadKinds, out var unknown);
        if (unknown.Count > 0)
            failures.Add($"{WorkerSettings.WorkloadKinds.Names}: unknown workload kind(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; use a comma-separated list of {KindNames}");
        else if (kinds.Count == 0)
            failures.Add($"{WorkerSettings.WorkloadKinds.Names} names no workload kind; use a comma-separated list of {KindNames}");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string KindNames =>
        string.Join(", ", WorkloadKind.All.Select(k => k.Resource)) + $" (or {string.Join(", ", WorkloadKind.All.Select(k => k.Kind))}, {string.Join(", ", WorkloadKind.All.Select(k => k.ShortName))})";

    private static bool IsNamespaceName(string name) =>
        name.Length is > 0 and <= 63 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && name[0] != '-' && name[^1] != '-';
}
