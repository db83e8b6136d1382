namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>
/// A PubSub payload made ready for MassTransit's dispatcher: the body as received, the transport headers to hand over,
/// and the key that orders it (events for the same image are handled one after another).
/// </summary>
public sealed record IncomingMessage(byte[] Body, IReadOnlyDictionary<string, object> Headers, string OrderingKey, Guid MessageId, bool IsRaw);
