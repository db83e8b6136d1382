using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>Builds apps/v1 Deployment, StatefulSet and DaemonSet objects for seeding the fake API server.</summary>
public static class WorkloadJson
{
    public static JsonObject Create(string ns, string name, IEnumerable<string> images, IEnumerable<string>? initImages = null,
        bool paused = false, IDictionary<string, string>? annotations = null, IDictionary<string, string>? templateAnnotations = null) =>
        Create(FakeResource.Deployments.Kind, ns, name, images, initImages, annotations, templateAnnotations, paused);

    /// <summary>Sets <c>imagePullPolicy</c> on every container and init container of <paramref name="workload"/> (the fake, unlike kube-apiserver, defaults none).</summary>
    public static JsonObject WithPullPolicy(JsonObject workload, string policy)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var podSpec = workload["spec"]!["template"]!["spec"]!.AsObject();
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in podSpec[list]?.AsArray() ?? [])
                container!["imagePullPolicy"] = policy;
        }
        return workload;
    }

    /// <summary>A workload of <paramref name="kind"/> (Deployment, StatefulSet, DaemonSet); only a Deployment can be paused.</summary>
    public static JsonObject Create(string kind, string ns, string name, IEnumerable<string> images, IEnumerable<string>? initImages = null,
        IDictionary<string, string>? annotations = null, IDictionary<string, string>? templateAnnotations = null, bool paused = false)
    {
        ArgumentNullException.ThrowIfNull(images);
        var containers = new JsonArray([.. images.Select((image, i) => (JsonNode)new JsonObject { ["name"] = $"c{i}", ["image"] = image })]);
        var spec = new JsonObject
        {
            ["replicas"] = 1,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["labels"] = new JsonObject { ["app"] = name },
                    ["annotations"] = ToObject(templateAnnotations),
                },
                ["spec"] = new JsonObject { ["containers"] = containers },
            },
        };
        if (initImages is not null)
            ((JsonObject)spec["template"]!["spec"]!)["initContainers"] = new JsonArray([.. initImages.Select((image, i) => (JsonNode)new JsonObject { ["name"] = $"init{i}", ["image"] = image })]);
        if (paused)
            spec["paused"] = true;
        if (kind == FakeResource.StatefulSets.Kind)
            spec["serviceName"] = name;
        if (kind == FakeResource.DaemonSets.Kind)
            spec.Remove("replicas");
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = FakeResource.OfKind(kind).Kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["uid"] = Guid.NewGuid().ToString(),
                ["generation"] = 1,
                ["annotations"] = ToObject(annotations),
                ["labels"] = new JsonObject { ["app"] = name },
            },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["observedGeneration"] = 1, ["replicas"] = 1 },
        };
    }

    private static JsonObject ToObject(IDictionary<string, string>? values)
    {
        var result = new JsonObject();
        if (values is not null)
        {
            foreach (var (key, value) in values)
                result[key] = value;
        }
        return result;
    }
}
