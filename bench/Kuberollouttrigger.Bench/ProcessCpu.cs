using System.Globalization;

namespace Kuberollouttrigger.Bench;

/// <summary>
/// A process's CPU time (user + system) and minor page faults from <c>/proc/&lt;pid&gt;/stat</c>, so a load step can
/// say what each request cost the server, not only how many it answered: on a machine the load generator shares, the
/// rate moves with the client, the CPU per request much less.
/// </summary>
public readonly record struct ProcessCpu(TimeSpan Cpu, long MinorFaults)
{
    private static readonly double s_tick = 1.0 / 100; // USER_HZ is 100 on Linux

    public static ProcessCpu Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command (which may hold spaces) start after its closing parenthesis; minflt is field 10,
        // utime 14 and stime 15 (1-based), so 8, 12 and 13 after the state at index 0.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return new ProcessCpu(TimeSpan.FromSeconds(ticks * s_tick), long.Parse(fields[7], CultureInfo.InvariantCulture));
    }

    public static ProcessCpu operator -(ProcessCpu after, ProcessCpu before) => new(after.Cpu - before.Cpu, after.MinorFaults - before.MinorFaults);

    /// <summary>"310 µs CPU, 12 faults per event" for <paramref name="events"/> answered in the interval.</summary>
    public string PerEvent(double events) =>
        string.Create(CultureInfo.InvariantCulture, $"{Cpu.TotalMilliseconds * 1000 / Math.Max(1, events):F0} µs CPU, {MinorFaults / Math.Max(1, events):F1} page faults per event");
}
