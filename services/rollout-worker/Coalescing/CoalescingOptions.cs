using System.ComponentModel.DataAnnotations;

namespace Kuberollouttrigger.RolloutWorker.Coalescing;

/// <summary>Restart coalescing: events for one image within <see cref="Window"/> restart each workload once, after it closes.</summary>
public sealed class CoalescingOptions
{
    public const string Section = "Coalescing";

    /// <summary>Zero turns coalescing off: every event restarts at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.Zero;

    /// <summary>How often each worker looks for windows that have closed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a worker holds a closed window while it restarts it; a worker that dies meanwhile leaves it to another.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FlushLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts (each with the consumer's retries) to restart a closed window before it is given up, loudly.</summary>
    [Range(1, 100)]
    public int MaxFlushAttempts { get; set; } = 5;

    public bool Enabled => Window > TimeSpan.Zero;
}
