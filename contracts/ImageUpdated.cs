namespace Kuberollouttrigger.Contracts;

/// <summary>
/// Published by the ingress after a CI job proved who it is and named an image it pushed.
/// The worker restarts the workloads whose pod templates run <c>Image:tag</c> for any of <see cref="Tags"/>.
/// </summary>
/// <param name="EventId">Identity of the event; also the MassTransit message id, so a duplicate delivery is recognised.</param>
/// <param name="Image">OCI repository reference without tag or digest, e.g. <c>ghcr.io/acme/app</c>.</param>
/// <param name="Tags">One or more tags that now point at the pushed image, without duplicates.</param>
/// <param name="TriggeredBy">Who sent it, taken from the verified token's claims; null for events from the Go original.</param>
/// <param name="RequestedAt">When the ingress accepted the request.</param>
public sealed record ImageUpdated(
    Guid EventId,
    string Image,
    IReadOnlyList<string> Tags,
    GitHubTrigger? TriggeredBy,
    DateTimeOffset RequestedAt);
