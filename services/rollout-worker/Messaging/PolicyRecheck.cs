using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Contracts;

namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>
/// Defence in depth: the worker applies the same policy to the claims the message carries, so a message put on the
/// channel by anyone but a web mode with that policy restarts nothing. With a policy, a message without
/// <see cref="ImageUpdated.TriggeredBy"/> (the Go original's raw JSON) is refused.
/// </summary>
public static class PolicyRecheck
{
    /// <summary>The reason the policy refuses the message, or null.</summary>
    public static string? Check(RequestPolicy policy, ImageUpdated message, string imagePrefix)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(message);
        if (!policy.IsConfigured)
            return null;
        if (message.TriggeredBy is not { } trigger)
            return new PolicyDecision(PolicyCheck.Repository).Reason + " (the message names no repository)";
        var request = new PolicyRequest(trigger.Repository ?? "", trigger.RepositoryOwnerId, trigger.RepositoryId, message.Image,
            trigger.Ref, trigger.Environment, trigger.JobWorkflowRef);
        var decision = policy.Evaluate(request, imagePrefix);
        return decision.IsAllowed ? null : decision.Reason;
    }
}
