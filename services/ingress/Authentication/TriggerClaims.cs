using System.Security.Claims;
using Kuberollouttrigger.Contracts;

namespace Kuberollouttrigger.Ingress.Authentication;

/// <summary>Copies who triggered the event out of the verified token's claims.</summary>
public static class TriggerClaims
{
    public static GitHubTrigger From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new GitHubTrigger(
            Repository: user.FindFirstValue(GitHubClaimNames.Repository) ?? "",
            RepositoryOwner: user.FindFirstValue(GitHubClaimNames.RepositoryOwner) ?? "",
            Ref: user.FindFirstValue(GitHubClaimNames.Ref),
            Sha: user.FindFirstValue(GitHubClaimNames.Sha),
            Workflow: user.FindFirstValue(GitHubClaimNames.Workflow),
            Actor: user.FindFirstValue(GitHubClaimNames.Actor),
            RunId: user.FindFirstValue(GitHubClaimNames.RunId),
            RepositoryId: user.FindFirstValue(GitHubClaimNames.RepositoryId),
            RepositoryOwnerId: user.FindFirstValue(GitHubClaimNames.RepositoryOwnerId),
            Environment: user.FindFirstValue(GitHubClaimNames.Environment),
            JobWorkflowRef: user.FindFirstValue(GitHubClaimNames.JobWorkflowRef));
    }
}
