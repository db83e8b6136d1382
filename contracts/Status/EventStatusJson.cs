using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kuberollouttrigger.Contracts.Status;

/// <summary>The JSON form of <see cref="EventStatus"/> (camelCase, nulls omitted), source-generated; both modes use it.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventStatus))]
public sealed partial class EventStatusJson : JsonSerializerContext
{
    public static byte[] Serialize(EventStatus status) => JsonSerializer.SerializeToUtf8Bytes(status, Default.EventStatus);

    /// <summary>The status, or null when <paramref name="json"/> is not a status record (invalid UTF-8 included).</summary>
    public static EventStatus? Deserialize(ReadOnlySpan<byte> json)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
            return null;
        try
        {
            return JsonSerializer.Deserialize(json, Default.EventStatus);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
