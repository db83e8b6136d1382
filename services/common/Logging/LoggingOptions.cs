using Microsoft.Extensions.Logging;

namespace Kuberollouttrigger.Common.Logging;

/// <summary>How much the process logs (LOG_LEVEL) and in which form (LOG_FORMAT).</summary>
public sealed class LoggingOptions
{
    public const string Section = "Logging";

    /// <summary>debug, info, warn or error, as the Go original spells them.</summary>
    public string Level { get; set; } = "info";

    /// <summary><c>json</c> (the default) or <c>text</c>.</summary>
    public string Format { get; set; } = LogFormats.Json;

    /// <summary>The .NET level <see cref="Level"/> names; <see cref="LoggingOptionsValidator"/> refuses any other word at start.</summary>
    public LogLevel MinimumLevel => LogLevels.Parse(Level) ?? LogLevel.Information;

    /// <summary>The console formatter <see cref="Format"/> names; <see cref="LoggingOptionsValidator"/> refuses any other word at start.</summary>
    public string FormatterName => LogFormats.FormatterFor(Format) ?? JsonLineFormatter.FormatterName;
}
