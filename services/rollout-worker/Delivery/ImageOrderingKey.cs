using System.Text.Json;

namespace Kuberollouttrigger.RolloutWorker.Delivery;

/// <summary>The worker's ordering key: the message's <c>image</c>, so events for one image are handled one after another.</summary>
public static class ImageOrderingKey
{
    /// <summary>The image of an <c>ImageUpdated</c> (or of the Go original's raw event); empty when the message names none.</summary>
    public static string Of(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("image", out var image) && image.ValueKind == JsonValueKind.String
            ? image.GetString()!
            : "";
}
