namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>The API server no longer has the resourceVersion a watch resumed from (410 Gone): list again.</summary>
public sealed class WatchExpiredException : Exception
{
    public WatchExpiredException()
    {
    }

    public WatchExpiredException(string message) : base(message)
    {
    }

    public WatchExpiredException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
