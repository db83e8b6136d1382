namespace Kuberollouttrigger.Transport.Streams;

/// <summary>
/// The keys of stream delivery, derived from VALKEY_CHANNEL so one Valkey can serve several installations:
/// <c>&lt;channel&gt;:stream</c>, its dead-letter stream <c>&lt;channel&gt;:stream:dead</c>, and the PubSub channel
/// <c>&lt;channel&gt;:stream:wake</c> on which the web mode tells the workers that an entry was added.
/// </summary>
public sealed record StreamNames(string Stream, string DeadLetter, string Wake)
{
    public const string BodyField = "body";
    public const string ContentTypeField = "content-type";
    public const string ReasonField = "reason";
    public const string SourceIdField = "source-id";
    public const string DeliveriesField = "deliveries";
    public const string ConsumerField = "consumer";

    public static StreamNames For(string channel)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        var stream = channel + ":stream";
        return new StreamNames(stream, stream + ":dead", stream + ":wake");
    }
}
