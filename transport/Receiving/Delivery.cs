namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>One message as a source (the PubSub channel or the stream's consumer group) received it.</summary>
/// <param name="Body">The bytes; null when a stream entry has no body field.</param>
/// <param name="ContentType">The content type the stream entry names; null on PubSub, which carries none.</param>
/// <param name="Count">Deliveries so far, this one included; always 1 on PubSub, which never redelivers.</param>
/// <param name="SourceId">Where it came from: the stream entry id, or the PubSub channel.</param>
public sealed record Delivery(byte[]? Body, string? ContentType, long Count, string SourceId);
