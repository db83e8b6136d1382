namespace Kuberollouttrigger.Common.Policy;

/// <summary>
/// The loaded policy of this process. Without a policy file every request the org and prefix checks admitted is
/// allowed (the Go original's behaviour); with one, a rule must allow it.
/// </summary>
public sealed class RequestPolicy(AuthorizationPolicy? policy)
{
    public bool IsConfigured => policy is not null;

    public int RuleCount => policy?.Rules.Count ?? 0;

    public PolicyDecision Evaluate(PolicyRequest request, string imagePrefix)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(imagePrefix);
        if (policy is null)
            return PolicyDecision.Allowed;
        if (policy.RepositoryOwnerId is { } owner && !string.Equals(owner, request.RepositoryOwnerId, StringComparison.Ordinal))
            return new PolicyDecision(PolicyCheck.RepositoryOwnerId);

        var furthest = PolicyCheck.Repository;
        foreach (var rule in policy.Rules)
        {
            if (rule.FirstFailure(request, imagePrefix) is not { } failure)
                return PolicyDecision.Allowed;
            if (failure > furthest)
                furthest = failure;
        }
        return new PolicyDecision(furthest);
    }
}
