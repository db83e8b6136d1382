using Kuberollouttrigger.Common.Settings;

namespace Kuberollouttrigger.RolloutWorker.Coalescing;

/// <summary>The public name of restart coalescing (new; off by default).</summary>
public static class CoalescingSettings
{
    public static readonly Setting Window = new("COALESCE_WINDOW", "coalesce-window", "Coalescing:Window",
        "events for the same image within this window restart each Deployment once, when it closes; 0 = off", Default: "0s", IsDuration: true);

    public static IReadOnlyList<Setting> All { get; } = [Window];
}
