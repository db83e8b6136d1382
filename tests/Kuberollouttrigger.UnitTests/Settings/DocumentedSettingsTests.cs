using System.Reflection;
using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.RolloutWorker.Configuration;

namespace Kuberollouttrigger.UnitTests.Settings;

/// <summary>
/// docs/configuration.md says what the programs do: every setting a mode reads has its row with the variable, the
/// flag, the default, the allowed words and the range the program enforces, in the units the program's messages use.
/// </summary>
public sealed class DocumentedSettingsTests
{
    private static readonly string[] Rows = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "configuration.md"))
        .Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToArray();

    public static TheoryData<string> Variables()
    {
        var data = new TheoryData<string>();
        foreach (var variable in Declared().Select(s => s.EnvVar).Distinct())
            data.Add(variable);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variables))]
    public void Every_setting_has_its_row_with_flag_default_words_and_range(string variable)
    {
        // Two declarations share a variable (ALLOWED_IMAGE_PREFIX in both modes): the first is the one documented.
        var setting = Declared().First(s => s.EnvVar == variable);
        var row = Assert.Single(Rows, r => r.StartsWith($"| `{setting.EnvVar}` |", StringComparison.Ordinal));
        var cells = row.Split(" | ");

        Assert.Equal($"`--{setting.Flag}`", cells[1]);
        if (setting.Required)
            Assert.Equal("required", cells[2]);
        else if (setting.Default is { } value)
            Assert.StartsWith($"`{value}`", cells[2], StringComparison.Ordinal);
        foreach (var word in setting.AllowedValues ?? [])
            Assert.Contains($"`{word}`", row, StringComparison.Ordinal);
        if (setting.Range is { } range)
            Assert.Contains($"{range.Min} to {range.Max}", row, StringComparison.Ordinal);
    }

    [Fact]
    public void The_documented_example_of_a_refused_value_is_what_the_program_prints()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "configuration.md")).ReplaceLineEndings(" ");
        var environment = new Dictionary<string, string>
        {
            ["VALKEY_ADDR"] = "valkey:6379",
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["GITHUB_OIDC_AUDIENCE"] = "krt",
            ["GITHUB_ALLOWED_ORG"] = "acme",
            ["MAX_TOKEN_AGE"] = "1d",
        };

        var line = Assert.Single(SettingsReader.Read(IngressSettings.All, [], environment.GetValueOrDefault).Errors);

        Assert.Contains($"such as `{line}`", doc, StringComparison.Ordinal);
    }

    private static IEnumerable<Setting> Declared() =>
        new[] { typeof(CommonSettings), typeof(IngressSettings), typeof(WorkerSettings) }
            .Select(t => t.Assembly).Distinct()
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(Setting))
            .Select(f => (Setting)f.GetValue(null)!)
            .OrderBy(s => s.EnvVar, StringComparer.Ordinal);

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "kuberollouttrigger.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("kuberollouttrigger.sln not found above the test folder");
    }
}
