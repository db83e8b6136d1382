using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Kuberollouttrigger.Common.Logging;

/// <summary>
/// LOG_FORMAT=text, for a terminal: one line per entry, <c>time level category: message</c>, then the fields the
/// message does not show (the scopes' <c>request_id</c>, <c>namespace</c>, <c>kind</c>, <c>name</c>; <c>trace_id</c>)
/// as <c>key=value</c>, and the error. Text shaped like a token is redacted, as in the JSON lines.
/// </summary>
public sealed class TextLineFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "kuberollouttrigger-text";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
            return;
        var category = logEntry.Category;
        var line = new StringBuilder(128)
            .Append(DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture))
            .Append(' ').Append(LogLevelNames.Of(logEntry.LogLevel).PadRight(5))
            .Append(' ').Append(category[(category.LastIndexOf('.') + 1)..])
            .Append(": ").Append(OneLine(message ?? ""));
        // The message already shows its own fields; the scopes' fields and the trace are what it does not say.
        foreach (var (name, value) in LogFields.Collect(logEntry.State, scopeProvider, includeMessageFields: false))
            line.Append(' ').Append(name).Append('=').Append(OneLine(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null"));
        if (Activity.Current is { } activity)
            line.Append(" trace_id=").Append(activity.TraceId.ToHexString());
        if (logEntry.Exception is { } exception)
            line.Append(" error=\"").Append(OneLine($"{exception.GetType().Name}: {exception.Message}")).Append('"');
        textWriter.WriteLine(line.ToString());
    }

    /// <summary>The text on one line, with text shaped like a token written as <see cref="CredentialText.Redacted"/>.</summary>
    private static string OneLine(string text) =>
        CredentialText.Redact(text.Contains('\n', StringComparison.Ordinal) ? text.ReplaceLineEndings(" ") : text);
}
