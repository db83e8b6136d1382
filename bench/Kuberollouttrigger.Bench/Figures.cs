using System.Globalization;

namespace Kuberollouttrigger.Bench;

/// <summary>
/// Every figure a measurement reports, as a row of the table in docs/performance.md: a stable key (the row it
/// replaces when the table is regenerated), the figure, its target, what was measured, the baseline measured in the
/// same run, the ratio to it, and how. <see cref="Report"/> writes the rows it collected.
/// </summary>
public static class Figures
{
    public const string FileVariable = "KRT_BENCH_FIGURES";
    private static readonly List<Figure> Collected = [];
    private static readonly Lock Gate = new();

    public static IReadOnlyList<Figure> All
    {
        get
        {
            lock (Gate)
                return [.. Collected];
        }
    }

    public static void Add(string key, string figure, string target, string measured, string baseline = "", string ratio = "", string method = "")
    {
        var row = new Figure(key, figure, target, measured, baseline, ratio, method, DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), LoadAverage());
        lock (Gate)
        {
            Collected.RemoveAll(f => f.Key == key);
            Collected.Add(row);
        }
        Console.WriteLine($"FIGURE | {figure} | target {target} | measured {measured} | baseline {baseline} | ratio {ratio} | load {row.Load}");
        // run-all.sh collects the figures of every mode it runs in one file, which `report` turns into the table.
        if (Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } file)
            File.AppendAllText(file, System.Text.Json.JsonSerializer.Serialize(row) + "\n");
    }

    /// <summary>The 1-minute load average (Linux), or empty where there is none.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "";

    public static string Mib(double value) => string.Create(CultureInfo.InvariantCulture, $"{value:F1} MiB");

    public static string Ms(double value) => string.Create(CultureInfo.InvariantCulture, $"{value:F1} ms");

    public static string Percent(double value) => string.Create(CultureInfo.InvariantCulture, $"{value:P0}");
}
