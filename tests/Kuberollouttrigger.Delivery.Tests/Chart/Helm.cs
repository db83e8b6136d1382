using System.Text.Json.Nodes;
using Kuberollouttrigger.Delivery.Tests.Tools;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Yaml;

namespace Kuberollouttrigger.Delivery.Tests.Chart;

/// <summary>helm3 or helm4 run on the chart of this repository, release <c>krt</c> in namespace <c>krt</c>.</summary>
public sealed class Helm(string name)
{
    public const string Release = "krt";
    public const string Namespace = "krt";

    public static string ChartPath { get; } = Tools.Repository.PathOf("deploy/helm/kuberollouttrigger");

    public string Name { get; } = name;

    /// <summary>The objects <c>helm template</c> renders from <paramref name="values"/> (YAML) and any more arguments.</summary>
    public async Task<IReadOnlyList<JsonObject>> TemplateAsync(string values, params string[] arguments)
    {
        var (code, output) = await TryTemplateAsync(values, arguments);
        Assert.True(code == 0, $"{Name} template failed:\n{output}");
        return [.. YamlJson.ParseAll(output).Select(n => n.AsObject())];
    }

    /// <summary><c>helm template</c>'s exit code and output (stdout, then stderr).</summary>
    public Task<(int Code, string Output)> TryTemplateAsync(string values, params string[] arguments) =>
        TryTemplateReleaseAsync(Release, values, arguments);

    /// <summary><c>helm template</c> of the release <paramref name="release"/>; a later --namespace wins over krt.</summary>
    public Task<(int Code, string Output)> TryTemplateReleaseAsync(string release, string values, params string[] arguments) =>
        RunWithValuesAsync(values, ["template", release, ChartPath, "--namespace", Namespace, .. arguments]);

    /// <summary><c>helm install --dry-run=client</c>: what an install would print, NOTES included, without a cluster.</summary>
    public Task<(int Code, string Output)> DryRunInstallAsync(string values, params string[] arguments) =>
        RunWithValuesAsync(values, ["install", Release, ChartPath, "--dry-run=client", "--namespace", Namespace, .. arguments]);

    public Task<(int Code, string Output)> LintAsync(string values, params string[] arguments) =>
        RunWithValuesAsync(values, ["lint", "--strict", ChartPath, "--namespace", Namespace, .. arguments]);

    private async Task<(int Code, string Output)> RunWithValuesAsync(string values, string[] arguments)
    {
        var path = DeliveryTools.RequireHelm(Name);
        var file = Path.Combine(Path.GetTempPath(), $"krt-values-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, values);
        try
        {
            return await CommandLine.RunAsync(CommandLine.For(path, arguments.Append("-f").Append(file)), TimeSpan.FromMinutes(2));
        }
        finally
        {
            File.Delete(file);
        }
    }

    public override string ToString() => Name;
}
