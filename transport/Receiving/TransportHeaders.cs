namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>The transport headers handed to MassTransit's receive endpoint dispatcher with every message.</summary>
public static class TransportHeaders
{
    public const string ContentType = "Content-Type";
    public const string MessageId = "MessageId";

    /// <summary>MassTransit's own delivery count: its dispatcher sets <c>ReceiveContext.Redelivered</c> when this <see cref="int"/> is above 1.</summary>
    public const string DeliveryCount = "DeliveryCount";

    /// <summary>The headers of one delivery: content type, message id, and how many times it was delivered, this one included.</summary>
    public static Dictionary<string, object> For(Guid messageId, string contentType, long deliveries) => new(StringComparer.OrdinalIgnoreCase)
    {
        [ContentType] = contentType,
        [MessageId] = messageId.ToString(),
        [DeliveryCount] = (int)Math.Clamp(deliveries, 1, int.MaxValue),
    };
}
