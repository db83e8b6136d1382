using Kuberollouttrigger.Testing.Processes;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>Runs the real <c>kuberollouttrigger</c> executable built beside the tests, as users run it.</summary>
public static class HostProcess
{
    private static readonly string[] Inherited = ["PATH", "HOME", "DOTNET_ROOT", "TMPDIR"];

    public static ChildProcess Start(IEnumerable<string> args, IDictionary<string, string?> environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "kuberollouttrigger.dll");
        var clean = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (!Inherited.Contains(key) && !key.StartsWith("DOTNET_", StringComparison.Ordinal))
                clean[key] = null;
        }
        foreach (var (key, value) in environment)
            clean[key] = value;
        return ChildProcess.Start("dotnet", [dll, .. args], clean);
    }

    public static Task WaitUntilReadyAsync(Uri readyz, ChildProcess process) => ReadyProbe.WaitAsync(readyz, process);
}
