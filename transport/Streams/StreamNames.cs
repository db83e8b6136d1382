using Kuberollouttrigger.Transport.Connection;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Streams;

/// <summary>
/// The keys of stream delivery, derived from VALKEY_CHANNEL so one Valkey can serve several installations:
/// <c>&lt;channel&gt;:stream</c> (with its consumer group), its dead-letter stream <c>&lt;channel&gt;:stream:dead</c>, and
/// the PubSub channel <c>&lt;channel&gt;:stream:wake</c> on which the web mode tells the workers that an entry was added.
/// In a Cluster the channel part is the hash tag <c>{&lt;channel&gt;}</c>: all three share one slot (see <see cref="ValkeyNames"/>).
/// </summary>
public sealed record StreamNames(string Stream, string DeadLetter, string Wake)
{
    public const string BodyField = "body";
    public const string ContentTypeField = "content-type";
    public const string ReasonField = "reason";
    public const string SourceIdField = "source-id";
    public const string DeliveriesField = "deliveries";
    public const string ConsumerField = "consumer";

    /// <summary>The wake-up channel as it is subscribed and published: sharded in a Cluster.</summary>
    public RedisChannel WakeChannel { get; init; } = RedisChannel.Literal(Wake);

    public static StreamNames For(ValkeyNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentException.ThrowIfNullOrEmpty(names.Channel);
        var stream = names.Slotted + ":stream";
        return new StreamNames(stream, stream + ":dead", stream + ":wake") { WakeChannel = names.PubSub(stream + ":wake") };
    }

    /// <summary>The names outside a Cluster.</summary>
    public static StreamNames For(string channel) => For(new ValkeyNames(channel, Cluster: false));

    public static StreamNames For(ValkeyOptions options) => For(ValkeyNames.Of(options));
}
