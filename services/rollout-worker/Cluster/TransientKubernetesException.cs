namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>The Kubernetes API failed in a way a later attempt may fix (429, 5xx, timeout, connection error).</summary>
public sealed class TransientKubernetesException : Exception
{
    public TransientKubernetesException()
    {
    }

    public TransientKubernetesException(string message) : base(message)
    {
    }

    public TransientKubernetesException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>HTTP status of the last failure, when there was a response.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The server's Retry-After, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
