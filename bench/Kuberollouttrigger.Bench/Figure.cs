namespace Kuberollouttrigger.Bench;

/// <summary>
/// One row of the table in docs/performance.md, with the day it was measured and the machine's 1-minute load average
/// at that moment (the machine is shared: a load above its 2 cores distorts latency and throughput).
/// </summary>
public sealed record Figure(string Key, string Name, string Target, string Measured, string Baseline, string Ratio, string Method, string Date, string Load = "");
