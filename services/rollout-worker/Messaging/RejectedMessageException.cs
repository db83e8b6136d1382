namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>The message breaks the event rules; retrying cannot help, so it is not retried.</summary>
public sealed class RejectedMessageException : Exception
{
    public RejectedMessageException()
    {
    }

    public RejectedMessageException(string message) : base(message)
    {
    }

    public RejectedMessageException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
