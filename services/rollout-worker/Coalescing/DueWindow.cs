using Kuberollouttrigger.Contracts;

namespace Kuberollouttrigger.RolloutWorker.Coalescing;

/// <summary>A closed window claimed for its restart: the event that opened it (null when its record cannot be read), the union of every joined event's tags, how many joined.</summary>
public sealed record DueWindow(Guid Id, ImageUpdated? Owner, IReadOnlyList<string> Tags, int Attempts, int Joined);
