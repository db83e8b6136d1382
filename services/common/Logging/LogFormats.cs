namespace Kuberollouttrigger.Common.Logging;

/// <summary>The LOG_FORMAT words: <c>json</c> (one JSON object per line, the default) or <c>text</c> (readable lines for a terminal).</summary>
public static class LogFormats
{
    public const string Json = "json";
    public const string Text = "text";

    /// <summary>The console formatter a LOG_FORMAT word selects, or null when the word is neither.</summary>
    public static string? FormatterFor(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or Json => JsonLineFormatter.FormatterName,
        Text => TextLineFormatter.FormatterName,
        _ => null,
    };
}
