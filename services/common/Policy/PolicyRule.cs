namespace Kuberollouttrigger.Common.Policy;

/// <summary>
/// One rule: repositories (required), optional numeric id pins, images (required), and optional refs, environments
/// and job_workflow_refs. An absent list allows any value, a missing claim included.
/// </summary>
public sealed record PolicyRule(
    long Line,
    IReadOnlyList<PolicyPattern> Repositories,
    string? RepositoryOwnerId,
    string? RepositoryId,
    IReadOnlyList<PolicyPattern> Images,
    IReadOnlyList<PolicyPattern>? Refs,
    IReadOnlyList<PolicyPattern>? Environments,
    IReadOnlyList<PolicyPattern>? JobWorkflowRefs)
{
    /// <summary>The first condition the request fails, or null when the rule allows it.</summary>
    public PolicyCheck? FirstFailure(PolicyRequest request, string imagePrefix)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Repositories.Any(p => p.IsMatch(request.Repository, request, imagePrefix)))
            return PolicyCheck.Repository;
        if (RepositoryOwnerId is not null && !string.Equals(RepositoryOwnerId, request.RepositoryOwnerId, StringComparison.Ordinal))
            return PolicyCheck.RepositoryOwnerId;
        if (RepositoryId is not null && !string.Equals(RepositoryId, request.RepositoryId, StringComparison.Ordinal))
            return PolicyCheck.RepositoryId;
        if (!Images.Any(p => p.IsMatch(request.Image, request, imagePrefix)))
            return PolicyCheck.Image;
        if (!Allows(Refs, request.Ref, request, imagePrefix))
            return PolicyCheck.Ref;
        if (!Allows(Environments, request.Environment, request, imagePrefix))
            return PolicyCheck.Environment;
        if (!Allows(JobWorkflowRefs, request.JobWorkflowRef, request, imagePrefix))
            return PolicyCheck.JobWorkflowRef;
        return null;
    }

    private static bool Allows(IReadOnlyList<PolicyPattern>? patterns, string? value, PolicyRequest request, string imagePrefix) =>
        patterns is null || (value is not null && patterns.Any(p => p.IsMatch(value, request, imagePrefix)));
}
