using System.ComponentModel.DataAnnotations;

namespace Kuberollouttrigger.Transport.Streams;

/// <summary>
/// How events travel from the web mode to the workers (DELIVERY_MODE and the STREAM_* settings): <c>pubsub</c>, the
/// default, or <c>stream</c>, a capped Valkey Stream read by a consumer group.
/// </summary>
public sealed class StreamDeliveryOptions
{
    public const string Section = "Delivery";
    public const string PubSubMode = "pubsub";
    public const string StreamMode = "stream";

    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^(?i:pubsub|stream)$", ErrorMessage = "DELIVERY_MODE / --delivery-mode must be pubsub or stream")]
    public string Mode { get; set; } = PubSubMode;

    /// <summary>XADD trims the stream to about this many entries (MAXLEN ~).</summary>
    [Range(1, 100_000_000)]
    public long MaxLength { get; set; } = 10_000;

    [Required(AllowEmptyStrings = false)]
    public string Group { get; set; } = "kuberollouttrigger-workers";

    /// <summary>A pending entry idle this long belongs to a worker that is gone; another worker claims it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ClaimIdle { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>An entry delivered this many times without success goes to the dead-letter stream.</summary>
    [Range(1, 1_000)]
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>Longest wait between two reads of an idle stream; a wake-up notification ends the wait at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan IdlePollMax { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Entries read or claimed by one command.</summary>
    [Range(1, 1_000)]
    public int BatchSize { get; set; } = 16;

    /// <summary>This worker's name in the consumer group and in dead letters: its identity, unique per process start. Not a setting.</summary>
    public string Consumer { get; set; } = "";

    public bool IsStream => string.Equals(Mode, StreamMode, StringComparison.OrdinalIgnoreCase);
}
