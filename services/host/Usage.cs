namespace Kuberollouttrigger.Host;

/// <summary>What the executable says when no mode runs: its usage, its version, or why the arguments name no mode.</summary>
public static class Usage
{
    private const string Text = "Usage: kuberollouttrigger <web|worker> [flags]\n       kuberollouttrigger <web|worker> --help";

    public static int Version()
    {
        Console.WriteLine($"kuberollouttrigger {typeof(Usage).Assembly.GetName().Version}");
        return 0;
    }

    public static int Help()
    {
        Console.WriteLine(Text);
        return 0;
    }

    /// <summary>Writes <paramref name="problem"/> (if any) and the usage to stderr; exit code 1.</summary>
    public static async Task<int> FailAsync(string? problem)
    {
        await Console.Error.WriteLineAsync(problem is null ? Text : $"{problem}\n{Text}");
        return 1;
    }
}
