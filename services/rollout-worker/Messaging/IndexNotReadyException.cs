namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>The workload index has not finished its first list yet; a retry a moment later will find it ready.</summary>
public sealed class IndexNotReadyException : Exception
{
    public IndexNotReadyException()
        : base("the workload index is not synced yet")
    {
    }

    public IndexNotReadyException(string message) : base(message)
    {
    }

    public IndexNotReadyException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
