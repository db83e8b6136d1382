namespace Kuberollouttrigger.Contracts.Status;

/// <summary>
/// What became of one event, as the worker records it in Valkey and <c>GET /events/{id}</c> returns it.
/// The one definition of that JSON: the worker writes it, the ingress reads it (<see cref="EventStatusJson"/>).
/// </summary>
/// <param name="EventId">The id the ingress answered <c>POST /event</c> with.</param>
/// <param name="State">One of <see cref="EventStates"/>.</param>
/// <param name="Repository">The sending repository (<c>owner/name</c>); only a token of this repository may read the status.</param>
/// <param name="Sha">The commit of the run that sent it, when known.</param>
/// <param name="Image">The image of the event.</param>
/// <param name="Tags">The tags of the event.</param>
/// <param name="Workloads">Every workload that uses the image, with what was done to it.</param>
/// <param name="UpdatedAt">When this record was written.</param>
/// <param name="Reason">Why the event failed as a whole (the worker gave up on it), or why nothing matched (<c>no-match</c>: what the worker watches and which workloads run the repository with other tags); null otherwise.</param>
public sealed record EventStatus(
    Guid EventId,
    string State,
    string? Repository,
    string? Sha,
    string Image,
    IReadOnlyList<string> Tags,
    IReadOnlyList<WorkloadStatus> Workloads,
    DateTimeOffset UpdatedAt,
    string? Reason = null);
