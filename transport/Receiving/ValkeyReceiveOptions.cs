using System.ComponentModel.DataAnnotations;

namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>How the receive path feeds messages to MassTransit, both modes.</summary>
public sealed class ValkeyReceiveOptions
{
    public const string Section = "Receive";

    /// <summary>Messages dispatched at once. Messages with the same ordering key never run concurrently.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 4;

    /// <summary>Messages waiting per unit of concurrency before the subscriber stops reading (PubSub cannot push back; the rest waits in the client's buffer).</summary>
    [Range(1, 100_000)]
    public int LaneCapacity { get; set; } = 1_000;
}
