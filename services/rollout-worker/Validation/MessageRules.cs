using Kuberollouttrigger.Common.Images;
using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Validation;

/// <summary>
/// The worker's own check of a message, with the web mode's rules: the image strictly under the prefix, the tags, and
/// (defence in depth, when the worker has a policy file) the policy applied to the claims the message carries. A
/// message put on the channel by anyone but a web mode with that policy restarts nothing; with a policy, a message
/// without <see cref="ImageUpdated.TriggeredBy"/> (the Go original's raw JSON) is refused. Run before a message opens
/// or joins a coalescing window, and again by the consumer before anything is restarted.
/// </summary>
public sealed class MessageRules(RequestPolicy policy, IOptions<WorkerOptions> options)
{
    private readonly string _prefix = options.Value.AllowedImagePrefix;
    private readonly ImageUpdateRules _rules = new(options.Value.AllowedImagePrefix);

    public MessageCheck Check(ImageUpdated message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var error = message.Image is null ? "image is missing" : _rules.CheckImage(message.Image);
        var tags = message.Tags is null ? new TagCheck([], "tags are missing") : ImageUpdateRules.CheckTags(message.Tags);
        error ??= tags.Error;
        error ??= PolicyRefusal(message);
        return new MessageCheck(tags.UniqueTags, error);
    }

    private string? PolicyRefusal(ImageUpdated message)
    {
        if (!policy.IsConfigured)
            return null;
        if (message.TriggeredBy is not { } trigger)
            return new PolicyDecision(PolicyCheck.Repository).Reason + " (the message names no repository)";
        var decision = policy.Evaluate(PolicyRequest.For(trigger, message.Image), _prefix);
        return decision.IsAllowed ? null : decision.Reason;
    }
}
