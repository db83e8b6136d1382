namespace Kuberollouttrigger.Transport.Publishing;

public interface IValkeyMessagePublisher
{
    /// <summary>
    /// Publishes <paramref name="message"/> in a MassTransit envelope on the configured channel.
    /// Returns how many subscribers received it.
    /// </summary>
    /// <exception cref="Connection.ValkeyUnavailableException">Valkey could not be reached within the operation timeout.</exception>
    Task<long> PublishAsync<T>(T message, Guid messageId, CancellationToken cancellationToken) where T : class;
}
