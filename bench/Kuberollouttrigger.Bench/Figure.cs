namespace Kuberollouttrigger.Bench;

/// <summary>One row of the table in docs/performance.md, with the day it was measured.</summary>
public sealed record Figure(string Key, string Name, string Target, string Measured, string Baseline, string Ratio, string Method, string Date);
