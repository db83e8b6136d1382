using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>
/// The dead-letter stream <c>&lt;channel&gt;:stream:dead</c>, one for both modes: a message that failed for good is added
/// with its body, content type, reason, where it came from, its delivery count and the consumer that gave up on it.
/// </summary>
public sealed class DeadLetters(IValkeyConnection connection, StreamNames names, ReceiveMetrics metrics, IOptions<ValkeyOptions> valkey, IOptions<StreamDeliveryOptions> options)
{
    /// <summary>Adds the message; <paramref name="kind"/> labels the count (unreadable, refused, failed, deliveries).</summary>
    /// <exception cref="RedisException">Valkey refused or did not answer; nothing was added.</exception>
    public async Task AddAsync(Delivery delivery, string? contentType, string kind, string reason)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var db = (await connection.GetAsync()).GetDatabase();
        await db.StreamAddAsync(names.DeadLetter,
        [
            new NameValueEntry(StreamNames.BodyField, delivery.Body ?? []),
            new NameValueEntry(StreamNames.ContentTypeField, delivery.ContentType ?? contentType ?? ""),
            new NameValueEntry(StreamNames.ReasonField, reason),
            new NameValueEntry(StreamNames.SourceIdField, delivery.SourceId),
            new NameValueEntry(StreamNames.DeliveriesField, delivery.Count),
            new NameValueEntry(StreamNames.ConsumerField, options.Value.Consumer),
        ], new StreamAddOptions { MaxLength = options.Value.MaxLength, Approximate = true }).WaitAsync(valkey.Value.OperationTimeout);
        metrics.DeadLettered(kind);
    }
}
