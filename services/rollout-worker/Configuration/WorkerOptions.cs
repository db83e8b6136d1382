using System.ComponentModel.DataAnnotations;

namespace Kuberollouttrigger.RolloutWorker.Configuration;

/// <summary>What the worker accepts and how long it remembers handled events.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    [Required(AllowEmptyStrings = false)]
    public string AllowedImagePrefix { get; set; } = "";

    [Required(AllowEmptyStrings = false)]
    public string HealthAddress { get; set; } = ":8081";

    /// <summary>How long a handled event id is remembered, so a duplicate delivery is skipped.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "30.00:00:00")]
    public TimeSpan DedupTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long raw events from the Go original are remembered: their id is derived from their bytes, so a legitimate
    /// repeat of the same image and tags must not be taken for a duplicate for long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RawDedupWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one replica holds an event while it works on it, retries included.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan ClaimTtl { get; set; } = TimeSpan.FromMinutes(5);
}
