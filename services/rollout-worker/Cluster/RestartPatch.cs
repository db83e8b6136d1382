using System.Globalization;
using System.Text.Json.Nodes;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// The patch <c>kubectl rollout restart</c> sends (the pod template's <c>kubectl.kubernetes.io/restartedAt</c>
/// annotation, for Deployments, StatefulSets and DaemonSets alike) plus the workload's own audit annotations, as one
/// strategic merge patch, so every other field and annotation stays as it is. The audit annotations sit in the
/// workload's metadata, outside the pod template, so they start no rollout of their own.
/// </summary>
public static class RestartPatch
{
    public const string Annotation = "kubectl.kubernetes.io/restartedAt";
    public const string FieldManager = "kuberollouttrigger";

    public static JsonObject For(DateTimeOffset now, RestartAudit audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var annotations = new JsonObject();
        foreach (var (key, value) in audit.Annotations())
            annotations[key] = value;
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = annotations },
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["annotations"] = new JsonObject { [Annotation] = Rfc3339(now) },
                    },
                },
            },
        };
    }

    /// <summary>RFC 3339 in UTC to the second, e.g. <c>2026-11-24T22:25:08Z</c>.</summary>
    public static string Rfc3339(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
