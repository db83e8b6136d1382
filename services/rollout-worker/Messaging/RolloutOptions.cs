using System.ComponentModel.DataAnnotations;

namespace Kuberollouttrigger.RolloutWorker.Messaging;

public sealed class RolloutOptions
{
    public const string Section = "Rollout";

    /// <summary>Restart PATCH requests in flight for one event.</summary>
    [Range(1, 64)]
    public int MaxParallelRestarts { get; set; } = 8;

    /// <summary>Retries of an event after a transient failure.</summary>
    [Range(0, 20)]
    public int RetryLimit { get; set; } = 6;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Random spread added to each interval (jitter), so replicas do not retry in step.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryJitter { get; set; } = TimeSpan.FromMilliseconds(500);
}
