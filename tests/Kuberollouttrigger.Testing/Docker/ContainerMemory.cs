using System.Globalization;

namespace Kuberollouttrigger.Testing.Docker;

/// <summary>
/// A container's memory as its cgroup counts it (what a Kubernetes memory limit applies to): the usage, the peak, and
/// the working set (usage less inactive file pages, as the kubelet and docker stats compute it). Reads cgroup v1
/// (memory.usage_in_bytes, memory.max_usage_in_bytes, memory.stat total_inactive_file) or v2 (memory.current,
/// memory.peak, memory.stat inactive_file) from the host's /sys/fs/cgroup.
/// </summary>
public sealed record ContainerMemory(long UsageBytes, long PeakBytes, long WorkingSetBytes, long OomKills)
{
    public static double MiB(long bytes) => bytes / 1024.0 / 1024.0;

    public static string CgroupDirectory(string containerId)
    {
        string[] candidates =
        [
            $"/sys/fs/cgroup/memory/docker/{containerId}",                 // v1, cgroupfs driver
            $"/sys/fs/cgroup/memory/system.slice/docker-{containerId}.scope", // v1, systemd driver
            $"/sys/fs/cgroup/docker/{containerId}",                        // v2, cgroupfs driver
            $"/sys/fs/cgroup/system.slice/docker-{containerId}.scope",      // v2, systemd driver
        ];
        return candidates.FirstOrDefault(Directory.Exists)
            ?? throw new DirectoryNotFoundException($"no memory cgroup found for container {containerId} (tried {string.Join(", ", candidates)})");
    }

    public static ContainerMemory Read(string cgroupDirectory)
    {
        var stat = File.ReadAllLines(Path.Combine(cgroupDirectory, "memory.stat"))
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        if (File.Exists(Path.Combine(cgroupDirectory, "memory.usage_in_bytes")))
        {
            var usage = Number(cgroupDirectory, "memory.usage_in_bytes");
            var oom = File.ReadAllLines(Path.Combine(cgroupDirectory, "memory.oom_control"))
                .Select(l => l.Split(' ')).Where(p => p is ["oom_kill", _]).Select(p => long.Parse(p[1], CultureInfo.InvariantCulture)).FirstOrDefault();
            return new ContainerMemory(usage, Number(cgroupDirectory, "memory.max_usage_in_bytes"), usage - stat.GetValueOrDefault("total_inactive_file"), oom);
        }
        var current = Number(cgroupDirectory, "memory.current");
        var events = File.ReadAllLines(Path.Combine(cgroupDirectory, "memory.events"))
            .Select(l => l.Split(' ')).Where(p => p is ["oom_kill", _]).Select(p => long.Parse(p[1], CultureInfo.InvariantCulture)).FirstOrDefault();
        var peakFile = Path.Combine(cgroupDirectory, "memory.peak");
        return new ContainerMemory(current, File.Exists(peakFile) ? Number(cgroupDirectory, "memory.peak") : current, current - stat.GetValueOrDefault("inactive_file"), events);
    }

    private static long Number(string directory, string file) =>
        long.Parse(File.ReadAllText(Path.Combine(directory, file)).Trim(), CultureInfo.InvariantCulture);
}
