using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>Just enough API discovery for clients that look before they list: apps/v1 workloads and core/v1 events.</summary>
public static class Discovery
{
    public static JsonObject Groups() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(new JsonObject
        {
            ["name"] = "apps",
            ["versions"] = new JsonArray(new JsonObject { ["groupVersion"] = "apps/v1", ["version"] = "v1" }),
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = "apps/v1", ["version"] = "v1" },
        }),
    };

    public static JsonObject AppsV1() => ResourceList("apps/v1", FakeResource.Workloads, ["create", "delete", "get", "list", "patch", "update", "watch"]);

    public static JsonObject CoreV1() => ResourceList("v1", [FakeResource.Events], ["create", "delete", "get", "list", "patch", "update", "watch"]);

    private static JsonObject ResourceList(string groupVersion, IEnumerable<FakeResource> resources, string[] verbs) => new()
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = groupVersion,
        ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Plural,
            ["singularName"] = r.Singular,
            ["namespaced"] = true,
            ["kind"] = r.Kind,
            ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
        })]),
    };
}
