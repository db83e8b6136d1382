namespace Kuberollouttrigger.Common.Settings;

/// <summary>A setting is present but unusable; the process reports it and exits instead of starting.</summary>
public sealed class InvalidSettingException : Exception
{
    public InvalidSettingException()
    {
    }

    public InvalidSettingException(string message) : base(message)
    {
    }

    public InvalidSettingException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
