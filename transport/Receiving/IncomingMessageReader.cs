using System.Security.Cryptography;
using System.Text.Json;
using Kuberollouttrigger.Transport.Publishing;

namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>
/// Tells a MassTransit envelope from the Go original's raw <c>{"image":...,"tags":[...]}</c> and builds the headers
/// the dispatcher needs: Content-Type always, the message id, and <c>MT-Activity-Id</c> so the consume span continues
/// the sender's trace.
/// </summary>
public static class IncomingMessageReader
{
    public const string RawContentType = "application/json";
    public const string ContentTypeHeader = "Content-Type";
    public const string MessageIdHeader = "MessageId";

    /// <summary>Returns null, with a reason, for anything that is neither shape.</summary>
    public static IncomingMessage? Read(byte[] body, out string? error)
    {
        ArgumentNullException.ThrowIfNull(body);
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
                return ReadEnvelope(body, root, message, out error);
            if (root.TryGetProperty("image", out var image) && image.ValueKind == JsonValueKind.String)
                return ReadRaw(body, image.GetString()!);
            error = "neither a MassTransit envelope nor an {image, tags} event";
            return null;
        }
    }

    private static IncomingMessage? ReadEnvelope(byte[] body, JsonElement root, JsonElement message, out string? error)
    {
        error = null;
        if (!root.TryGetProperty("messageId", out var idElement) || !idElement.TryGetGuid(out var messageId))
        {
            error = "envelope without a messageId";
            return null;
        }
        var headers = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase)
        {
            [ContentTypeHeader] = MessageEnvelopeWriter.ContentType,
            [MessageIdHeader] = messageId.ToString(),
        };
        if (root.TryGetProperty("headers", out var envelopeHeaders) && envelopeHeaders.ValueKind == JsonValueKind.Object
            && envelopeHeaders.TryGetProperty(MessageEnvelopeWriter.ActivityIdHeader, out var activityId) && activityId.ValueKind == JsonValueKind.String)
        {
            headers[MessageEnvelopeWriter.ActivityIdHeader] = activityId.GetString()!;
        }
        var key = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("image", out var image) && image.ValueKind == JsonValueKind.String
            ? image.GetString()!
            : "";
        return new IncomingMessage(body, headers, key, messageId, IsRaw: false);
    }

    private static IncomingMessage ReadRaw(byte[] body, string image)
    {
        // Every worker replica receives the same raw message; an id derived from the bytes lets them agree on one.
        var messageId = new Guid(SHA256.HashData(body).AsSpan(0, 16));
        var headers = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase)
        {
            [ContentTypeHeader] = RawContentType,
            [MessageIdHeader] = messageId.ToString(),
        };
        return new IncomingMessage(body, headers, image, messageId, IsRaw: true);
    }
}
