namespace Kuberollouttrigger.Common.Policy;

/// <summary>What the policy decides on: the verified token's claims and the image asked for.</summary>
public sealed record PolicyRequest(
    string Repository,
    string? RepositoryOwnerId,
    string? RepositoryId,
    string Image,
    string? Ref,
    string? Environment,
    string? JobWorkflowRef)
{
    /// <summary>The repository without its owner: <c>app</c> for <c>acme/app</c>.</summary>
    public string RepositoryName => Repository[(Repository.IndexOf('/', StringComparison.Ordinal) + 1)..];
}
