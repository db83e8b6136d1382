namespace Kuberollouttrigger.Common.Policy;

/// <summary>
/// A parsed policy file: an optional owner id every request must carry, and rules of which at least one must allow
/// the request.
/// </summary>
public sealed record AuthorizationPolicy(string? RepositoryOwnerId, IReadOnlyList<PolicyRule> Rules);
