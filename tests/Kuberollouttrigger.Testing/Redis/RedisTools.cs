namespace Kuberollouttrigger.Testing.Redis;

/// <summary>Finds the Valkey or Redis executables the fixtures start: valkey-* first, then redis-*, on PATH or in /usr/bin and /usr/sbin.</summary>
public static class RedisTools
{
    /// <summary>valkey-server or redis-server; REDIS_SERVER overrides.</summary>
    public static string Server() => Find("REDIS_SERVER", "server", "redis-server");

    /// <summary>valkey-sentinel or redis-sentinel; REDIS_SENTINEL overrides.</summary>
    public static string Sentinel() => Find("REDIS_SENTINEL", "sentinel", "redis-sentinel");

    /// <summary>valkey-cli or redis-cli; REDIS_CLI overrides.</summary>
    public static string Cli() => Find("REDIS_CLI", "cli", "redis-tools");

    private static string Find(string variable, string tool, string package)
    {
        var fromEnv = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(fromEnv))
            return fromEnv;
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin").Append("/usr/sbin").ToList();
        foreach (var name in new[] { "valkey-" + tool, "redis-" + tool })
        {
            foreach (var directory in directories)
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        throw new InvalidOperationException($"neither valkey-{tool} nor redis-{tool} is on PATH; install it (apt-get install -y {package})");
    }
}
