using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Kuberollouttrigger.Ingress.Events;

/// <summary>
/// The 202 body: the id under which the event travels to the worker. The image and tags stay out of the body (the Go
/// original's clients get only the id) and let a waited request describe the event without reading the request again.
/// </summary>
public sealed record EventAccepted(Guid EventId)
{
    [JsonIgnore]
    public string Image { get; init; } = "";

    [JsonIgnore]
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The 202 answer for an event published now, or delivered by an earlier attempt with the same token.</summary>
    public static IResult Answer(Guid eventId, string image, IReadOnlyList<string> tags) =>
        Results.Json(new EventAccepted(eventId) { Image = image, Tags = tags }, statusCode: StatusCodes.Status202Accepted);
}
