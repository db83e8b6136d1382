using System.ComponentModel.DataAnnotations;

namespace Kuberollouttrigger.RolloutWorker.Rollouts;

/// <summary>How long an event's status record stays readable in Valkey (EVENT_STATUS_TTL).</summary>
public sealed class StatusOptions
{
    public const string Section = "Status";

    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);
}
