using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kuberollouttrigger.Delivery.Tests.Chart;

/// <summary>
/// Rendered objects checked against the Kubernetes API types, as a server with strict field validation would: each
/// object is read into the KubernetesClient model of its apiVersion and kind with unknown fields refused, and written
/// back; what comes back must be what went in (a value of the wrong type, or one the model cannot hold, shows as a
/// difference). Kinds the client has no model for (CRDs) are checked by <see cref="CustomResources"/>.
/// </summary>
public static class KubernetesSchema
{
    private static readonly JsonSerializerOptions Strict = CreateStrict();

    private static readonly Dictionary<(string ApiVersion, string Kind), Type> Models = typeof(V1Deployment).Assembly.GetTypes()
        .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
        .Where(x => x.Entity is { Kind.Length: > 0 } && !x.Entity.Kind.EndsWith("List", StringComparison.Ordinal))
        .GroupBy(x => (x.Entity!.Group.Length == 0 ? x.Entity.ApiVersion : $"{x.Entity.Group}/{x.Entity.ApiVersion}", x.Entity.Kind))
        .ToDictionary(g => g.Key, g => g.First().Type);

    /// <summary>What is wrong with <paramref name="manifest"/>; empty when the API would take it as it is.</summary>
    public static IReadOnlyList<string> Errors(JsonObject manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var apiVersion = manifest["apiVersion"]?.GetValue<string>() ?? "";
        var kind = manifest["kind"]?.GetValue<string>() ?? "";
        var name = $"{kind} {manifest["metadata"]?["name"]}";
        if (CustomResources.Schema(apiVersion, kind) is { } schema)
            return [.. CustomResources.Errors(schema, manifest).Select(e => $"{name}: {e}")];
        if (!Models.TryGetValue((apiVersion, kind), out var type))
            return [$"{name}: no Kubernetes type {apiVersion} {kind}"];
        object model;
        try
        {
            model = JsonSerializer.Deserialize(manifest.ToJsonString(), type, Strict)!;
        }
        catch (JsonException e)
        {
            return [$"{name}: {e.Message}"];
        }
        var back = JsonSerializer.SerializeToNode(model, type, Strict)!;
        return [.. Differences(manifest, back, "").Select(d => $"{name}: {d}")];
    }

    private static IEnumerable<string> Differences(JsonNode? sent, JsonNode? kept, string path)
    {
        switch (sent)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (value is null)
                        continue;
                    foreach (var d in Differences(value, (kept as JsonObject)?[key], $"{path}.{key}"))
                        yield return d;
                }
                break;
            case JsonArray a:
                var keptArray = kept as JsonArray;
                if (keptArray is null || keptArray.Count != a.Count)
                {
                    yield return $"{path}: the type does not hold this list";
                    yield break;
                }
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var d in Differences(a[i], keptArray[i], $"{path}[{i}]"))
                        yield return d;
                }
                break;
            default:
                if (kept is null || !JsonNode.DeepEquals(sent, kept))
                    yield return $"{path}: {sent?.ToJsonString()} comes back as {kept?.ToJsonString() ?? "nothing"}";
                break;
        }
    }

    private static JsonSerializerOptions CreateStrict()
    {
        JsonSerializerOptions? client = null;
        KubernetesJson.AddJsonOptions(o => client = o);
        return new JsonSerializerOptions(client!) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
    }
}
