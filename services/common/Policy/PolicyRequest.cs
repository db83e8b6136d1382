using Kuberollouttrigger.Contracts;

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
    /// <summary>What the policy decides on for <paramref name="image"/> asked by <paramref name="trigger"/>: the web mode's verified claims, or those a message carries.</summary>
    public static PolicyRequest For(GitHubTrigger trigger, string image)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return new PolicyRequest(trigger.Repository ?? "", trigger.RepositoryOwnerId, trigger.RepositoryId, image, trigger.Ref, trigger.Environment, trigger.JobWorkflowRef);
    }

    /// <summary>The repository without its owner: <c>app</c> for <c>acme/app</c>.</summary>
    public string RepositoryName => Repository[(Repository.IndexOf('/', StringComparison.Ordinal) + 1)..];
}
