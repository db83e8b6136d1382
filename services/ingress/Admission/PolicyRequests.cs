using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Contracts;

namespace Kuberollouttrigger.Ingress.Admission;

public static class PolicyRequests
{
    public static PolicyRequest From(GitHubTrigger trigger, string image)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return new PolicyRequest(trigger.Repository, trigger.RepositoryOwnerId, trigger.RepositoryId, image, trigger.Ref, trigger.Environment, trigger.JobWorkflowRef);
    }
}
