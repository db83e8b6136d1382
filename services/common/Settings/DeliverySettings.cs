namespace Kuberollouttrigger.Common.Settings;

/// <summary>The public names of delivery (PubSub or Valkey Streams), all new; the web mode and the worker read the ones they use.</summary>
public static class DeliverySettings
{
    public static readonly Setting Mode = new("DELIVERY_MODE", "delivery-mode", "Delivery:Mode", "pubsub (at most once, nothing kept) or stream (kept in a Valkey Stream, at least once)", Default: "pubsub",
        AllowedValues: ["pubsub", "stream"]);
    public static readonly Setting Group = new("STREAM_GROUP", "stream-group", "Delivery:Group", "stream mode: consumer group of the workers", Default: "kuberollouttrigger-workers");
    public static readonly Setting MaxLength = new("STREAM_MAX_LEN", "stream-max-len", "Delivery:MaxLength", "stream mode: the stream is trimmed to about this many entries", Default: "10000",
        IsInteger: true, Range: new("1", "100000000"));
    public static readonly Setting ClaimIdle = new("STREAM_CLAIM_IDLE", "stream-claim-idle", "Delivery:ClaimIdle", "stream mode: an entry of a worker silent this long is claimed by another", Default: "60s",
        IsDuration: true, Range: new("1s", "1h"));
    public static readonly Setting MaxDeliveries = new("STREAM_MAX_DELIVERIES", "stream-max-deliveries", "Delivery:MaxDeliveries", "stream mode: deliveries before an entry goes to the dead-letter stream", Default: "5",
        IsInteger: true, Range: new("1", "1000"));

    public static IReadOnlyList<Setting> Web { get; } = [Mode, Group, MaxLength];

    public static IReadOnlyList<Setting> Worker { get; } = [Mode, Group, MaxLength, ClaimIdle, MaxDeliveries];
}
