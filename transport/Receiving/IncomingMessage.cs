namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>
/// A message made ready for MassTransit's dispatcher: the body as received, the transport headers to hand over, and
/// the key that orders it (messages with the same key are handled one after another).
/// </summary>
public sealed record IncomingMessage(byte[] Body, IReadOnlyDictionary<string, object> Headers, string OrderingKey, Guid MessageId, string ContentType);
