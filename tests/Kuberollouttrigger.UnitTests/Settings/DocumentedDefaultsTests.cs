using System.Text.RegularExpressions;
using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.RolloutWorker.Configuration;

namespace Kuberollouttrigger.UnitTests.Settings;

/// <summary>docs/configuration.md names each setting's flag and default: both are the ones the programs declare.</summary>
public sealed partial class DocumentedDefaultsTests
{
    [Fact]
    public void Every_row_of_the_configuration_doc_has_the_declared_flag_and_default()
    {
        var declared = IngressSettings.All.Concat(WorkerSettings.All).DistinctBy(s => s.EnvVar).ToDictionary(s => s.EnvVar, StringComparer.Ordinal);
        var rows = Row().Matches(File.ReadAllText(RepositoryPath("docs/configuration.md"))).ToList();
        var compared = new List<string>();

        foreach (Match row in rows)
        {
            var (name, flag, documented) = (row.Groups["name"].Value, row.Groups["flag"].Value, row.Groups["default"].Value);
            if (!declared.TryGetValue(name, out var setting))
                continue;
            Assert.True(setting.Flag == flag, $"{name}: the doc says --{flag}, the program reads --{setting.Flag}");
            if (CodeSpan().Match(documented) is not { Success: true } code)
                continue;
            var value = code.Groups[1].Value;
            if (setting.IsDuration)
                Assert.True(Durations.Parse(value) == Durations.Parse(setting.Default!), $"{name}: the doc says {value}, the default is {setting.Default}");
            else
                Assert.True(value == setting.Default, $"{name}: the doc says {value}, the default is {setting.Default}");
            compared.Add(name);
        }

        Assert.Contains("MAX_WAITS", compared);
        Assert.Contains("MAX_WAITS_PER_REPOSITORY", compared);
        Assert.True(compared.Count >= 25, $"only {compared.Count} defaults compared");
    }

    [GeneratedRegex(@"^\| `(?<name>[A-Z_]+)` \| `--(?<flag>[a-z-]+)` \| (?<default>[^|]*) \|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"^`([^`]+)`")]
    private static partial Regex CodeSpan();

    private static string RepositoryPath(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "kuberollouttrigger.sln")))
            dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("kuberollouttrigger.sln not found above the test folder"), relative);
    }
}
