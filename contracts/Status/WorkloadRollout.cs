using System.Text.Json.Serialization;

namespace Kuberollouttrigger.Contracts.Status;

/// <summary>The progress of one restarted workload's rollout.</summary>
/// <param name="State">One of <see cref="RolloutStates"/>.</param>
/// <param name="Reason">What the controller reports, e.g. <c>NewReplicaSetAvailable</c> or <c>ProgressDeadlineExceeded</c>.</param>
public sealed record WorkloadRollout(string State, string? Reason)
{
    [JsonIgnore]
    public bool IsFinal => State != RolloutStates.Progressing;
}
