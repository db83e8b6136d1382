using System.Diagnostics;

namespace Kuberollouttrigger.RolloutWorker.Rollout;

public static class RolloutTelemetry
{
    public const string SourceName = "Kuberollouttrigger.Worker";

    public static readonly ActivitySource Source = new(SourceName);
}
