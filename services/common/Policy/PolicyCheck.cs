namespace Kuberollouttrigger.Common.Policy;

/// <summary>
/// The conditions of a policy rule, in the order they are checked. A denial names the kind of the condition that
/// failed in the rule that came furthest, never the rule's contents.
/// </summary>
public enum PolicyCheck
{
    Repository,
    RepositoryOwnerId,
    RepositoryId,
    Image,
    Ref,
    Environment,
    JobWorkflowRef,
}
