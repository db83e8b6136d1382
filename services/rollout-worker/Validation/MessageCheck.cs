namespace Kuberollouttrigger.RolloutWorker.Validation;

/// <summary>What <see cref="MessageRules"/> found: the message's tags, de-duplicated, and the reason it is refused (null when it is not).</summary>
public sealed record MessageCheck(IReadOnlyList<string> Tags, string? Refusal)
{
    public bool IsRefused => Refusal is not null;
}
