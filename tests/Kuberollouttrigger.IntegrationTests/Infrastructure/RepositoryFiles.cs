namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>Files of this repository (docs, chart examples), found from the test's output folder.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    /// <summary>The first fenced block of <paramref name="language"/> after the heading <paramref name="heading"/> of a Markdown file.</summary>
    public static string CodeBlockAfter(string relative, string heading, string language = "yaml")
    {
        var text = Read(relative);
        var at = text.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(at >= 0, $"{relative} has no heading '{heading}'");
        var start = text.IndexOf("```" + language + "\n", at, StringComparison.Ordinal);
        Assert.True(start >= 0, $"{relative} has no {language} block after '{heading}'");
        start += language.Length + 4;
        return text[start..text.IndexOf("\n```", start, StringComparison.Ordinal)] + "\n";
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "kuberollouttrigger.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("kuberollouttrigger.sln not found above the test folder");
    }
}
