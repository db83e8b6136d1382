namespace Kuberollouttrigger.Transport.Publishing;

/// <summary>
/// Hands a message in a MassTransit envelope to Valkey once per <see cref="OnceRecord"/>: PUBLISH on the channel, or
/// XADD to the stream, with the record and its "delivered" mark in the same server-side script (one round trip).
/// </summary>
public interface IValkeyMessagePublisher
{
    /// <summary>
    /// The key of a record named <paramref name="prefix"/> and <paramref name="id"/>, in the cluster slot of what this
    /// publisher writes: <c>prefix + id</c> beside a channel (no key, so records spread over the slots), and
    /// <c>prefix{tag}:id</c> with the stream's hash tag beside a stream.
    /// </summary>
    string RecordKey(string prefix, string id);

    /// <summary>
    /// Publishes <paramref name="message"/> under <paramref name="messageId"/> unless <paramref name="record"/> holds an
    /// earlier attempt that settles it (delivered, another fingerprint, or not delivered under another id).
    /// </summary>
    /// <exception cref="Connection.ValkeyUnavailableException">Valkey could not be reached or did not answer within the operation timeout.</exception>
    Task<PublishOnceResult> PublishOnceAsync<T>(T message, Guid messageId, OnceRecord record, CancellationToken cancellationToken) where T : class;

    /// <summary>Reads <paramref name="record"/> and publishes nothing: what an earlier attempt left, or <see cref="PublishOnceKind.Unrecorded"/>.</summary>
    /// <exception cref="Connection.ValkeyUnavailableException">Valkey could not be reached or did not answer within the operation timeout.</exception>
    Task<PublishOnceResult> CheckAsync(OnceRecord record, CancellationToken cancellationToken);
}
