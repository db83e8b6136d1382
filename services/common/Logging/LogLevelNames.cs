using Microsoft.Extensions.Logging;

namespace Kuberollouttrigger.Common.Logging;

/// <summary>The level words both line formats write: <c>debug</c>, <c>info</c>, <c>warn</c>, <c>error</c>, as LOG_LEVEL spells them.</summary>
public static class LogLevelNames
{
    public static string Of(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };
}
