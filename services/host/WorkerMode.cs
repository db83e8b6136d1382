namespace Kuberollouttrigger.Host;

public static class WorkerMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        _ = args;
        await Console.Error.WriteLineAsync("worker mode: not yet implemented");
        return 2;
    }
}
