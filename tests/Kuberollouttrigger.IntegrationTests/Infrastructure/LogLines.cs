using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>A process's stdout read back as the JSON log lines it wrote (other lines, such as a child's stderr, are skipped).</summary>
public static class LogLines
{
    public static List<JsonObject> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = new List<JsonObject>();
        foreach (var line in output.Split('\n'))
        {
            var text = line.Trim();
            if (!text.StartsWith('{'))
                continue;
            try
            {
                if (JsonNode.Parse(text) is JsonObject json)
                    lines.Add(json);
            }
            catch (JsonException)
            {
                // Not one of ours.
            }
        }
        return lines;
    }

    /// <summary>The lines whose <paramref name="field"/> is <paramref name="value"/>.</summary>
    public static List<JsonObject> With(this IEnumerable<JsonObject> lines, string field, string value) =>
        [.. lines.Where(l => l[field] is JsonValue v && v.ToString() == value)];

    public static string Text(this JsonObject line, string field) => line[field]?.ToString() ?? "";
}
