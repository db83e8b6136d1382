using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>
/// Applies patches to stored objects. Strategic merge is applied as a JSON merge patch: exact for maps such as
/// annotations, which is all a restart patch touches (lists merged by key are not simulated).
/// </summary>
public static class JsonPatching
{
    /// <summary>RFC 7386 JSON merge patch: objects merge recursively, null removes, anything else replaces.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
                result.Remove(key);
            else
                result[key] = Merge(result[key]?.DeepClone(), value);
        }
        return result;
    }

    /// <summary>RFC 6902 JSON patch (add, remove, replace, test). Returns false when an operation cannot apply.</summary>
    public static bool TryApplyJsonPatch(JsonObject target, JsonArray operations)
    {
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var op = operation["op"]?.GetValue<string>();
            var path = operation["path"]?.GetValue<string>() ?? "";
            var segments = path.Split('/').Skip(1).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            if (segments.Length == 0)
                return false;
            var parent = Navigate(target, segments[..^1]);
            var last = segments[^1];
            switch (op)
            {
                case "add" or "replace" when parent is JsonObject o:
                    if (op == "replace" && !o.ContainsKey(last))
                        return false;
                    o[last] = operation["value"]?.DeepClone();
                    break;
                case "add" when parent is JsonArray a:
                    if (last == "-")
                        a.Add(operation["value"]?.DeepClone());
                    else
                        a.Insert(int.Parse(last, System.Globalization.CultureInfo.InvariantCulture), operation["value"]?.DeepClone());
                    break;
                case "remove" when parent is JsonObject o:
                    if (!o.Remove(last))
                        return false;
                    break;
                case "test" when parent is JsonObject o:
                    if (!JsonNode.DeepEquals(o[last], operation["value"]))
                        return false;
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    private static JsonNode? Navigate(JsonNode? node, IEnumerable<string> segments)
    {
        foreach (var segment in segments)
        {
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }
        return node;
    }
}
