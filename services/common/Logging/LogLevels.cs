using Microsoft.Extensions.Logging;

namespace Kuberollouttrigger.Common.Logging;

/// <summary>Maps the Go original's LOG_LEVEL words onto .NET log levels.</summary>
public static class LogLevels
{
    public static LogLevel? Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "INFO" => LogLevel.Information,
        "DEBUG" => LogLevel.Debug,
        "WARN" or "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        _ => null,
    };
}
