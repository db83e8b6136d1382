using System.Text.Json;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>A MassTransit JSON envelope as read off the channel.</summary>
public sealed record Envelope(JsonElement Root)
{
    public static Envelope Parse(byte[] bytes) => new(JsonDocument.Parse(bytes).RootElement.Clone());

    public Guid MessageId => Root.GetProperty("messageId").GetGuid();

    public IEnumerable<string> MessageTypes => Root.GetProperty("messageType").EnumerateArray().Select(e => e.GetString()!);

    public JsonElement Message => Root.GetProperty("message");

    public string? Header(string name) =>
        Root.TryGetProperty("headers", out var headers) && headers.TryGetProperty(name, out var value) ? value.GetString() : null;
}
