using System.Diagnostics;

namespace Kuberollouttrigger.Bench;

/// <summary>Latencies of one load run and the figures it reports.</summary>
public sealed class LoadStats
{
    private readonly List<double> _milliseconds = [];
    private readonly Lock _gate = new();
    private int _failures;

    public void Add(long startTimestamp, bool ok)
    {
        var ms = Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
        lock (_gate)
        {
            _milliseconds.Add(ms);
            if (!ok)
                _failures++;
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
                return _milliseconds.Count;
        }
    }

    public int Failures => _failures;

    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_milliseconds.Count == 0)
                return double.NaN;
            var sorted = _milliseconds.Order().ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];
        }
    }

    /// <summary>How long the measured loop ran (shorter than asked when it ran out of tokens).</summary>
    public TimeSpan Elapsed { get; set; }

    public double Rate => Count / Elapsed.TotalSeconds;

    public string Summary() =>
        $"{Rate,8:F0} req/s  p50 {Percentile(50),6:F2} ms  p90 {Percentile(90),6:F2} ms  p99 {Percentile(99),6:F2} ms  non-2xx {Failures}";
}
