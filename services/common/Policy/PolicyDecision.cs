namespace Kuberollouttrigger.Common.Policy;

/// <summary>The policy's answer for one request: allowed, or the kind of condition that denied it.</summary>
public sealed record PolicyDecision(PolicyCheck? DeniedBy)
{
    public static PolicyDecision Allowed { get; } = new((PolicyCheck?)null);

    public bool IsAllowed => DeniedBy is null;

    /// <summary>One line for the caller and the log, e.g. <c>ref not allowed by policy</c>.</summary>
    public string Reason => DeniedBy switch
    {
        null => "allowed",
        PolicyCheck.Repository => "repository not allowed by policy",
        PolicyCheck.RepositoryOwnerId => "repository_owner_id not allowed by policy",
        PolicyCheck.RepositoryId => "repository_id not allowed by policy",
        PolicyCheck.Image => "image not allowed by policy",
        PolicyCheck.Ref => "ref not allowed by policy",
        PolicyCheck.Environment => "environment not allowed by policy",
        PolicyCheck.JobWorkflowRef => "job_workflow_ref not allowed by policy",
        _ => "not allowed by policy",
    };
}
