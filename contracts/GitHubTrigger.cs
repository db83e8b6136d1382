namespace Kuberollouttrigger.Contracts;

/// <summary>
/// The GitHub Actions run that asked for a rollout, copied from the claims of its verified OIDC token.
/// Never carries the token itself.
/// </summary>
public sealed record GitHubTrigger(
    string Repository,
    string RepositoryOwner,
    string? Ref,
    string? Sha,
    string? Workflow,
    string? Actor,
    string? RunId);
