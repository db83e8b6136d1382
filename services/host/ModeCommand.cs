namespace Kuberollouttrigger.Host;

/// <summary>Chooses the mode from the first argument, as the Go original does: <c>kuberollouttrigger web|worker [flags]</c>.</summary>
public static class ModeCommand
{
    private const string Usage = "Usage: kuberollouttrigger <web|worker> [flags]\n       kuberollouttrigger <web|worker> --help";

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 1;
        }

        var rest = args[1..];
        switch (args[0])
        {
            case "web":
                return await WebMode.RunAsync(rest);
            case "worker":
                return await WorkerMode.RunAsync(rest);
            case "version" or "--version":
                Console.WriteLine($"kuberollouttrigger {typeof(ModeCommand).Assembly.GetName().Version}");
                return 0;
            case "-h" or "--help" or "help":
                Console.WriteLine(Usage);
                return 0;
            default:
                await Console.Error.WriteLineAsync($"unknown mode '{args[0]}'\n{Usage}");
                return 1;
        }
    }
}
