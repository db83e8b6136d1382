namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>This process's identity in event claims: unique per start, so a restarted replica never mistakes an old claim for its own.</summary>
public sealed class WorkerIdentity
{
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
}
