using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Kuberollouttrigger.Deploy.Tests;

public static class SchemaCheck
{
    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new(StringComparer.Ordinal);

    /// <summary>The validation errors of <paramref name="instance"/> against the schema file, empty when valid.</summary>
    public static IReadOnlyList<string> Errors(string schemaPath, JsonNode? instance)
    {
        var schema = Schemas.GetOrAdd(schemaPath, Load);
        var element = JsonSerializer.SerializeToElement(instance);
        var result = schema.Evaluate(element, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
            return [];
        return [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))];
    }

    private static void RemoveLegacyIds(JsonNode? node, bool insideProperties)
    {
        if (node is JsonObject o)
        {
            if (!insideProperties && o["id"] is JsonValue)
                o.Remove("id");
            // Compose durations are Go durations ("2s", "1m30s"), not the ISO 8601 "duration" format of JSON Schema.
            if (!insideProperties && o["format"]?.GetValue<string>() == "duration")
            {
                o.Remove("format");
                o["pattern"] = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$";
            }
            foreach (var (key, child) in o.ToList())
                RemoveLegacyIds(child, !insideProperties && key is "properties" or "patternProperties");
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a)
                RemoveLegacyIds(child, insideProperties: false);
        }
    }

    private static JsonSchema Load(string path)
    {
        var document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        // The Compose schema names its dialect with the old "http://json-schema.org/draft/2019-09/schema#" spelling.
        if (document["$schema"]?.GetValue<string>() == "http://json-schema.org/draft/2019-09/schema#")
        {
            document["$schema"] = "https://json-schema.org/draft/2019-09/schema";
            // It also carries draft-04 "id" annotations, which 2019-09 does not know; they only label subschemas.
            RemoveLegacyIds(document, insideProperties: false);
        }
        return JsonSchema.FromText(document.ToJsonString(), baseUri: new Uri(path));
    }
}
