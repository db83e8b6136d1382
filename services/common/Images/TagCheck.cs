namespace Kuberollouttrigger.Common.Images;

/// <summary>The outcome of checking an event's tags: the tags without duplicates, or why they were refused.</summary>
public sealed record TagCheck(IReadOnlyList<string> UniqueTags, string? Error);
