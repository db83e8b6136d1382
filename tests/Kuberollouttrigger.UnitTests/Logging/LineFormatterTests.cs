using System.Diagnostics;
using System.Text.Json.Nodes;
using Kuberollouttrigger.Common.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuberollouttrigger.UnitTests.Logging;

/// <summary>What one log entry becomes on stdout, in JSON (the default) and text.</summary>
public sealed class LineFormatterTests
{
    private static readonly Guid EventId = Guid.Parse("01a23437-9be7-7108-b488-c3fba3953116");

    [Fact]
    public void The_event_UUID_is_event_id_and_the_log_message_number_is_log_event_id()
    {
        var line = Json(Entry(200, "Event {EventId}: {Outcome}", ("EventId", EventId), ("Outcome", "restarted")));

        Assert.Equal(EventId.ToString(), line["event_id"]!.GetValue<string>());
        Assert.Equal(200, line["log_event_id"]!.GetValue<int>());
        Assert.Equal("restarted", line["outcome"]!.GetValue<string>());
    }

    [Fact]
    public void A_verbatim_parameter_name_is_written_once_without_its_at_sign()
    {
        // The logging generator names the field after the parameter, so string @namespace arrives as "@namespace".
        var scopes = new LoggerExternalScopeProvider();
        using var scope = scopes.Push(new Dictionary<string, object> { ["namespace"] = "shop" });

        var line = Json(Entry(201, "Event {EventId}: {Kind} {Namespace}/{Name}", ("EventId", EventId), ("Kind", "deployment"), ("@namespace", "shop"), ("name", "web")), scopes);

        Assert.Equal("shop", line["namespace"]!.GetValue<string>());
        Assert.DoesNotContain(line, field => field.Key.StartsWith('@'));
    }

    [Fact]
    public void The_innermost_scope_wins_so_the_request_id_is_the_X_Request_Id()
    {
        var scopes = new LoggerExternalScopeProvider();
        using var hosting = scopes.Push(new Dictionary<string, object> { ["RequestId"] = "0HNQ:00000001", ["ConnectionId"] = "0HNQ" });
        using var ours = scopes.Push(new Dictionary<string, object> { ["request_id"] = "ci-run-42" });

        var line = Json(Entry(22, "Refused event"), scopes);

        Assert.Equal("ci-run-42", line["request_id"]!.GetValue<string>());
        Assert.Equal("0HNQ", line["connection_id"]!.GetValue<string>());
    }

    [Fact]
    public void Only_what_JSON_needs_is_escaped()
    {
        var text = Raw(new JsonLineFormatter(), Entry(1, "POST /event -> 401: 'aud' said \"no\" <ok>"), null);

        Assert.Contains("POST /event -> 401: 'aud' said \\\"no\\\" <ok>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_ids_come_from_the_current_activity()
    {
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();

        var line = Json(Entry(1, "inside"));

        Assert.Equal(activity.TraceId.ToHexString(), line["trace_id"]!.GetValue<string>());
        Assert.Equal(activity.SpanId.ToHexString(), line["span_id"]!.GetValue<string>());
    }

    [Fact]
    public void Text_is_one_line_with_the_scopes_fields_after_the_message()
    {
        var scopes = new LoggerExternalScopeProvider();
        using var scope = scopes.Push(new Dictionary<string, object> { ["event_id"] = EventId.ToString(), ["namespace"] = "shop" });

        var text = Raw(new TextLineFormatter(), Entry(201, "Event {EventId}: restarted\nsecond line", ("EventId", EventId)), scopes, LogLevel.Warning, "Kuberollouttrigger.RolloutWorker.Messaging.ImageUpdatedConsumer");

        Assert.Matches($@"^\d\d:\d\d:\d\d\.\d{{3}} warn  ImageUpdatedConsumer: Event {EventId}: restarted second line event_id={EventId} namespace=shop\r?\n$", text);
    }

    private static JsonObject Json(List<KeyValuePair<string, object?>> state, IExternalScopeProvider? scopes = null) =>
        JsonNode.Parse(Raw(new JsonLineFormatter(), state, scopes))!.AsObject();

    private static string Raw(Microsoft.Extensions.Logging.Console.ConsoleFormatter formatter, List<KeyValuePair<string, object?>> state, IExternalScopeProvider? scopes,
        LogLevel level = LogLevel.Information, string category = "Test")
    {
        var id = (int)state.Single(p => p.Key == "#").Value!;
        state.RemoveAll(p => p.Key == "#");
        var entry = new LogEntry<List<KeyValuePair<string, object?>>>(level, category, new EventId(id), state, null, (s, _) => Render(s));
        using var writer = new StringWriter();
        formatter.Write(entry, scopes, writer);
        return writer.ToString();
    }

    private static List<KeyValuePair<string, object?>> Entry(int id, string template, params (string Key, object Value)[] fields)
    {
        var state = fields.Select(f => new KeyValuePair<string, object?>(f.Key, f.Value)).ToList();
        state.Add(new("{OriginalFormat}", template));
        state.Add(new("#", id));
        return state;
    }

    private static string Render(List<KeyValuePair<string, object?>> state)
    {
        var text = (string)state.Single(p => p.Key == "{OriginalFormat}").Value!;
        foreach (var (key, value) in state.Where(p => p.Key != "{OriginalFormat}"))
            text = text.Replace("{" + key + "}", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return text;
    }
}
