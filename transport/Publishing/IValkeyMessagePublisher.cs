namespace Kuberollouttrigger.Transport.Publishing;

public interface IValkeyMessagePublisher
{
    /// <summary>
    /// Publishes <paramref name="message"/> in a MassTransit envelope on the configured channel.
    /// Returns how many subscribers received it.
    /// </summary>
    /// <exception cref="Connection.ValkeyUnavailableException">Valkey could not be reached within the operation timeout.</exception>
    /// <summary>
    /// True when an event that reached no worker yet is still kept for one (a Valkey Stream), so the ingress may accept
    /// it without a subscriber; false for PubSub, which drops it.
    /// </summary>
    bool KeepsUndelivered { get; }

    Task<long> PublishAsync<T>(T message, Guid messageId, CancellationToken cancellationToken) where T : class;
}
