namespace Kuberollouttrigger.Transport.Connection;

/// <summary>Valkey could not be reached or did not answer in time; the operation may be retried.</summary>
public sealed class ValkeyUnavailableException : Exception
{
    public ValkeyUnavailableException()
    {
    }

    public ValkeyUnavailableException(string message) : base(message)
    {
    }

    public ValkeyUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
