namespace Kuberollouttrigger.Transport.Publishing;

/// <summary>Hands a message in a MassTransit envelope to Valkey: PUBLISH on the channel, or XADD to the stream.</summary>
public interface IValkeyMessagePublisher
{
    /// <summary>Publishes <paramref name="message"/> under <paramref name="messageId"/> and says what became of it.</summary>
    /// <exception cref="Connection.ValkeyUnavailableException">Valkey could not be reached within the operation timeout.</exception>
    Task<PublishOutcome> PublishAsync<T>(T message, Guid messageId, CancellationToken cancellationToken) where T : class;
}
