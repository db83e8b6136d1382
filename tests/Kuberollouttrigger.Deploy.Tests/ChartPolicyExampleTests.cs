using System.Text.RegularExpressions;
using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Testing.Yaml;

namespace Kuberollouttrigger.Deploy.Tests;

/// <summary>
/// Every policy the chart and its docs show is one the programs read, and binds images to the repository that builds
/// them: the policy reader refuses <c>{prefix}{repository_name}-*</c>, which let <c>acme/app</c> restart the image of
/// <c>acme/app-admin</c> (issue 11, finding 4).
/// </summary>
public sealed partial class ChartPolicyExampleTests
{
    public static TheoryData<string> Policies()
    {
        var rows = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Repository.PathOf("deploy/helm/examples"), "*.yaml").Order(StringComparer.Ordinal))
        {
            if (YamlJson.Parse(File.ReadAllText(file))?["policy"] is { } policy && policy.GetValue<string>().Length > 0)
                rows.Add(Path.GetRelativePath(Repository.Root, file));
        }
        rows.Add("deploy/helm/kuberollouttrigger/values.yaml (comment)");
        rows.Add("docs/deployment.md");
        return rows;
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Shown_policy_is_read_by_the_programs_and_lets_no_repository_restart_anothers_image(string source)
    {
        var read = PolicyFileReader.Read(PolicyOf(source));

        Assert.True(read.Policy is not null, $"{source}: {string.Join("; ", read.Errors)}");
        var policy = new RequestPolicy(read.Policy);
        var app = new PolicyRequest("acme/app", "1000001", "2000002", "ghcr.io/acme/app", "refs/heads/main", null, null);
        Assert.True(policy.Evaluate(app, "ghcr.io/acme").IsAllowed, source);
        Assert.Equal(PolicyCheck.Image, policy.Evaluate(app with { Image = "ghcr.io/acme/app-admin" }, "ghcr.io/acme").DeniedBy);
    }

    private static string PolicyOf(string source) => source switch
    {
        "docs/deployment.md" => Block(Repository.Read("docs/deployment.md"), "## Authorization policy"),
        "deploy/helm/kuberollouttrigger/values.yaml (comment)" => Uncomment(Repository.Read("deploy/helm/kuberollouttrigger/values.yaml")),
        _ => YamlJson.Parse(Repository.Read(source))!["policy"]!.GetValue<string>(),
    };

    /// <summary>The <c>policy: |</c> value of the first yaml block after <paramref name="heading"/>.</summary>
    private static string Block(string markdown, string heading)
    {
        var start = markdown.IndexOf("```yaml\n", markdown.IndexOf(heading, StringComparison.Ordinal), StringComparison.Ordinal) + 8;
        var yaml = markdown[start..markdown.IndexOf("\n```", start, StringComparison.Ordinal)];
        return YamlJson.Parse(yaml)!["policy"]!.GetValue<string>();
    }

    /// <summary>The commented example under "Authorization policy" in values.yaml, without its <c>#</c>.</summary>
    private static string Uncomment(string values)
    {
        var lines = CommentedPolicy().Match(values).Groups[1].Value.Split('\n').Select(l => l.Length > 4 ? l[4..] : "");
        return YamlJson.Parse(string.Join('\n', lines))!["policy"]!.GetValue<string>();
    }

    [GeneratedRegex(@"\n((?:#   policy: \|\n)(?:#\s{3,}.*\n)+)")]
    private static partial Regex CommentedPolicy();
}
