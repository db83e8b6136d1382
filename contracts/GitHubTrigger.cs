namespace Kuberollouttrigger.Contracts;

/// <summary>
/// The GitHub Actions run that asked for a rollout, copied from the claims of its verified OIDC token.
/// Never carries the token itself. The members after <see cref="RunId"/> are the claims an authorization policy
/// decides on; they are null in messages from older web modes.
/// </summary>
public sealed record GitHubTrigger(
    string Repository,
    string RepositoryOwner,
    string? Ref,
    string? Sha,
    string? Workflow,
    string? Actor,
    string? RunId,
    string? RepositoryId = null,
    string? RepositoryOwnerId = null,
    string? Environment = null,
    string? JobWorkflowRef = null);
