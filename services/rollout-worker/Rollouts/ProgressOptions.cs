using System.ComponentModel.DataAnnotations;

namespace Kuberollouttrigger.RolloutWorker.Rollouts;

/// <summary>How long a restarted workload's rollout is followed (ROLLOUT_TIMEOUT).</summary>
public sealed class ProgressOptions
{
    public const string Section = "Progress";

    /// <summary>A rollout not complete by then is recorded as timed-out.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RolloutTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
