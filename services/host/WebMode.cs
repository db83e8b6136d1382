namespace Kuberollouttrigger.Host;

public static class WebMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        _ = args;
        await Console.Error.WriteLineAsync("web mode: not yet implemented");
        return 2;
    }
}
