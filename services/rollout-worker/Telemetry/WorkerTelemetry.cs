using System.Diagnostics;

namespace Kuberollouttrigger.RolloutWorker.Telemetry;

/// <summary>The worker's meter and activity source names; every stage creates its own instruments on the one meter.</summary>
public static class WorkerTelemetry
{
    public const string MeterName = "Kuberollouttrigger.Worker";

    public const string SourceName = "Kuberollouttrigger.Worker";

    public static readonly ActivitySource Source = new(SourceName);
}
