using Microsoft.Extensions.Logging;

namespace Kuberollouttrigger.Common.Logging;

/// <summary>
/// The structured fields of one log entry, as both line formatters write them: the message's own fields, then the
/// fields of the scopes around it from the innermost out (so a request's <c>request_id</c> set by our middleware wins
/// over the one the hosting layer put in an outer scope). Names are snake_case; the first of a name wins; the
/// formatter's own names (<see cref="Reserved"/>) are never taken by a field.
/// </summary>
public static class LogFields
{
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "time", "level", "category", "message", "log_event_id", "trace_id", "span_id", "error",
    };

    /// <summary>The fields of <paramref name="state"/> and of the scopes <paramref name="scopes"/> holds, without duplicates.</summary>
    public static List<KeyValuePair<string, object?>> Collect(object? state, IExternalScopeProvider? scopes, bool includeMessageFields = true)
    {
        var fields = new List<KeyValuePair<string, object?>>();
        var written = new HashSet<string>(Reserved, StringComparer.Ordinal);
        if (includeMessageFields)
            Add(fields, written, state);
        if (scopes is null)
            return fields;
        var states = new List<object?>();
        scopes.ForEachScope((scope, list) => list.Add(scope), states);
        for (var i = states.Count - 1; i >= 0; i--)
            Add(fields, written, states[i]);
        return fields;
    }

    /// <summary>
    /// <c>EventId</c> → <c>event_id</c>, <c>DurationMs</c> → <c>duration_ms</c>; snake_case names stay as they are. The
    /// <c>@</c> of a C# verbatim parameter name (<c>@namespace</c>, which the logging generator passes on) is dropped.
    /// </summary>
    public static string ToSnakeCase(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        key = key.TrimStart('@');
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

    private static void Add(List<KeyValuePair<string, object?>> fields, HashSet<string> written, object? state)
    {
        if (state is not IEnumerable<KeyValuePair<string, object?>> pairs)
            return;
        foreach (var (key, value) in pairs)
        {
            if (key == "{OriginalFormat}" || key.Length == 0)
                continue;
            var name = ToSnakeCase(key);
            if (written.Add(name))
                fields.Add(new(name, value));
        }
    }
}
