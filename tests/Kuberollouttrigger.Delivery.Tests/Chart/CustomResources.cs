using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Kuberollouttrigger.Delivery.Tests.Chart;

/// <summary>
/// Kinds the KubernetesClient has no model for: the Prometheus Operator's ServiceMonitor, checked against the part of
/// its CRD's schema (monitoring.coreos.com/v1) that the chart writes, unknown fields refused.
/// </summary>
public static class CustomResources
{
    private static readonly JsonSchema ServiceMonitor = JsonSchema.FromText("""
        {
          "type": "object", "additionalProperties": false, "required": ["apiVersion", "kind", "metadata", "spec"],
          "properties": {
            "apiVersion": {"const": "monitoring.coreos.com/v1"},
            "kind": {"const": "ServiceMonitor"},
            "metadata": {"type": "object", "additionalProperties": false, "required": ["name"], "properties": {
              "name": {"type": "string"}, "namespace": {"type": "string"},
              "labels": {"type": "object", "additionalProperties": {"type": "string"}},
              "annotations": {"type": "object", "additionalProperties": {"type": "string"}}}},
            "spec": {"type": "object", "additionalProperties": false, "required": ["selector"], "properties": {
              "jobLabel": {"type": "string"},
              "namespaceSelector": {"type": "object", "additionalProperties": false, "properties": {"any": {"type": "boolean"}, "matchNames": {"type": "array", "items": {"type": "string"}}}},
              "selector": {"type": "object", "additionalProperties": false, "properties": {
                "matchLabels": {"type": "object", "additionalProperties": {"type": "string"}},
                "matchExpressions": {"type": "array"}}},
              "endpoints": {"type": "array", "items": {"type": "object", "additionalProperties": false, "properties": {
                "port": {"type": "string"}, "targetPort": {"type": ["string", "integer"]}, "path": {"type": "string"},
                "scheme": {"enum": ["http", "https"]},
                "interval": {"type": "string", "pattern": "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"},
                "scrapeTimeout": {"type": "string"}, "honorLabels": {"type": "boolean"}}}}}}
          }
        }
        """);

    public static JsonSchema? Schema(string apiVersion, string kind) =>
        (apiVersion, kind) is ("monitoring.coreos.com/v1", "ServiceMonitor") ? ServiceMonitor : null;

    public static IEnumerable<string> Errors(JsonSchema schema, JsonObject manifest)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var result = schema.Evaluate(JsonSerializer.SerializeToElement(manifest), new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
    }
}
