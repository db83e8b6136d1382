using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Kuberollouttrigger.Common.Logging;

/// <summary>
/// One JSON object per line: time, level, category, message, <c>trace_id</c> and <c>span_id</c> of the current span,
/// the message's structured fields, and the fields of the scopes around it (e.g. namespace and deployment). Text shaped
/// like a token is written as <see cref="CredentialText.Redacted"/> wherever it appears.
/// </summary>
public sealed class JsonLineFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "kuberollouttrigger-json";

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
            return;

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("time", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", Level(logEntry.LogLevel));
            json.WriteString("category", logEntry.Category);
            json.WriteString("message", message is null ? null : CredentialText.Redact(message));
            if (logEntry.EventId.Id != 0)
                json.WriteNumber("event_id", logEntry.EventId.Id);
            if (Activity.Current is { } activity)
            {
                json.WriteString("trace_id", activity.TraceId.ToHexString());
                json.WriteString("span_id", activity.SpanId.ToHexString());
            }
            if (logEntry.Exception is { } exception)
                json.WriteString("error", CredentialText.Redact($"{exception.GetType().Name}: {exception.Message}"));
            var written = new HashSet<string>(StringComparer.Ordinal) { "time", "level", "category", "message", "event_id", "trace_id", "span_id", "error" };
            WriteFields(json, logEntry.State, written);
            scopeProvider?.ForEachScope((scope, state) => WriteFields(state.Json, scope, state.Written), (Json: json, Written: written));
            json.WriteEndObject();
        }
        textWriter.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteFields(Utf8JsonWriter json, object? state, HashSet<string> written)
    {
        if (state is not IEnumerable<KeyValuePair<string, object?>> fields)
            return;
        foreach (var (key, value) in fields)
        {
            if (key == "{OriginalFormat}" || key.Length == 0)
                continue;
            var name = ToSnakeCase(key);
            if (!written.Add(name))
                continue;
            switch (value)
            {
                case null:
                    json.WriteNull(name);
                    break;
                case bool b:
                    json.WriteBoolean(name, b);
                    break;
                case int or long or short or byte or uint or ulong:
                    json.WriteNumber(name, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case double d:
                    json.WriteNumber(name, d);
                    break;
                default:
                    json.WriteString(name, CredentialText.Redact(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
                    break;
            }
        }
    }

    private static string ToSnakeCase(string key)
    {
        if (key.All(c => !char.IsUpper(c)))
            return key;
        var builder = new System.Text.StringBuilder(key.Length + 4);
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && !char.IsUpper(key[i - 1]))
                    builder.Append('_');
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static string Level(LogLevel level) => level switch
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
