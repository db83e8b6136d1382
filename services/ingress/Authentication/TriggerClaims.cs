using System.Security.Claims;
using Kuberollouttrigger.Contracts;

namespace Kuberollouttrigger.Ingress.Authentication;

/// <summary>Copies who triggered the event out of the verified token's claims.</summary>
public static class TriggerClaims
{
    private static readonly string[] Names =
    [
        GitHubClaimNames.Repository, GitHubClaimNames.RepositoryOwner, GitHubClaimNames.Ref, GitHubClaimNames.Sha,
        GitHubClaimNames.Workflow, GitHubClaimNames.Actor, GitHubClaimNames.RunId, GitHubClaimNames.RepositoryId,
        GitHubClaimNames.RepositoryOwnerId, GitHubClaimNames.Environment, GitHubClaimNames.JobWorkflowRef,
    ];

    /// <summary>
    /// One pass over the claims, the first of each name winning in any letter case, as
    /// <see cref="ClaimsPrincipal.FindFirst(string)"/> would, without a search and a closure for each claim asked for.
    /// </summary>
    public static GitHubTrigger From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var values = new string?[Names.Length];
        foreach (var identity in user.Identities)
        {
            foreach (var claim in identity.Claims)
            {
                for (var i = 0; i < Names.Length; i++)
                {
                    if (string.Equals(claim.Type, Names[i], StringComparison.OrdinalIgnoreCase))
                    {
                        values[i] ??= claim.Value;
                        break;
                    }
                }
            }
        }
        return new GitHubTrigger(
            Repository: values[0] ?? "",
            RepositoryOwner: values[1] ?? "",
            Ref: values[2],
            Sha: values[3],
            Workflow: values[4],
            Actor: values[5],
            RunId: values[6],
            RepositoryId: values[7],
            RepositoryOwnerId: values[8],
            Environment: values[9],
            JobWorkflowRef: values[10]);
    }
}
