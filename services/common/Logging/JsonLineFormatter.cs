using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Kuberollouttrigger.Common.Logging;

/// <summary>
/// One JSON object per line (LOG_FORMAT=json, the default): time, level, category, message, <c>log_event_id</c> (the
/// number of the log message), <c>trace_id</c> and <c>span_id</c> of the current span, the message's structured fields
/// (an event's id is <c>event_id</c>) and the fields of the scopes around it (<c>request_id</c>, <c>namespace</c>,
/// <c>kind</c>, <c>name</c>). Only what JSON requires is escaped: <c>-&gt;</c> and quotes in a message stay readable.
/// Text shaped like a token is written as <see cref="CredentialText.Redacted"/> wherever it appears.
/// </summary>
public sealed class JsonLineFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "kuberollouttrigger-json";

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
            json.WriteString("time", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("level", LogLevelNames.Of(logEntry.LogLevel));
            json.WriteString("category", logEntry.Category);
            json.WriteString("message", message is null ? null : CredentialText.Redact(message));
            if (logEntry.EventId.Id != 0)
                json.WriteNumber("log_event_id", logEntry.EventId.Id);
            if (Activity.Current is { } activity)
            {
                json.WriteString("trace_id", activity.TraceId.ToHexString());
                json.WriteString("span_id", activity.SpanId.ToHexString());
            }
            if (logEntry.Exception is { } exception)
                json.WriteString("error", CredentialText.Redact($"{exception.GetType().Name}: {exception.Message}"));
            foreach (var (name, value) in LogFields.Collect(logEntry.State, scopeProvider))
                WriteField(json, name, value);
            json.WriteEndObject();
        }
        textWriter.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteField(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(name);
                break;
            case bool b:
                json.WriteBoolean(name, b);
                break;
            case int or long or short or byte or uint or ulong:
                json.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double d:
                json.WriteNumber(name, d);
                break;
            default:
                json.WriteString(name, CredentialText.Redact(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
                break;
        }
    }
}
