using System.Security.Cryptography;
using System.Text.Json;
using Kuberollouttrigger.Transport.Publishing;

namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>
/// Tells a MassTransit envelope from a raw JSON message (as the Go original sends) and builds the headers the
/// dispatcher needs: Content-Type always, the message id, the delivery count, and <c>MT-Activity-Id</c> so the consume
/// span continues the sender's trace. The message itself is the application's: it names the ordering key.
/// </summary>
public static class IncomingMessageReader
{
    public const string RawContentType = "application/json";

    /// <summary>
    /// Returns null, with a reason, for anything that is not a JSON object. <paramref name="orderingKey"/> reads the key
    /// from the message (the envelope's <c>message</c>, or the raw object).
    /// </summary>
    public static IncomingMessage? Read(byte[] body, Func<JsonElement, string> orderingKey, long deliveries, out string? error)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(orderingKey);
        error = null;
        // JSON readers accept invalid UTF-8 inside strings and throw only when a string is read; every string of the
        // message is read later (here, by MassTransit, by the consumer), so the whole body is checked once, first.
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            error = "not valid UTF-8";
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            error = "not JSON";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "not a JSON object";
                return null;
            }
            if (root.TryGetProperty("messageType", out _) && root.TryGetProperty("message", out var message))
                return ReadEnvelope(body, root, orderingKey(message), deliveries, out error);
            return ReadRaw(body, orderingKey(root), deliveries);
        }
    }

    private static IncomingMessage? ReadEnvelope(byte[] body, JsonElement root, string key, long deliveries, out string? error)
    {
        error = null;
        if (!root.TryGetProperty("messageId", out var idElement) || !idElement.TryGetGuid(out var messageId))
        {
            error = "envelope without a messageId";
            return null;
        }
        var headers = TransportHeaders.For(messageId, MessageEnvelopeWriter.ContentType, deliveries);
        if (root.TryGetProperty("headers", out var envelopeHeaders) && envelopeHeaders.ValueKind == JsonValueKind.Object
            && envelopeHeaders.TryGetProperty(MessageEnvelopeWriter.ActivityIdHeader, out var activityId) && activityId.ValueKind == JsonValueKind.String)
        {
            headers[MessageEnvelopeWriter.ActivityIdHeader] = activityId.GetString()!;
        }
        return new IncomingMessage(body, headers, key, messageId, MessageEnvelopeWriter.ContentType);
    }

    private static IncomingMessage ReadRaw(byte[] body, string key, long deliveries)
    {
        // Every worker replica receives the same raw message; an id derived from the bytes lets them agree on one.
        var messageId = new Guid(SHA256.HashData(body).AsSpan(0, 16));
        return new IncomingMessage(body, TransportHeaders.For(messageId, RawContentType, deliveries), key, messageId, RawContentType);
    }
}
