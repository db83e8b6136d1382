using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>Just enough API discovery for clients that look before they list.</summary>
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

    public static JsonObject AppsV1() => new()
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = "apps/v1",
        ["resources"] = new JsonArray(new JsonObject
        {
            ["name"] = "deployments",
            ["singularName"] = "deployment",
            ["namespaced"] = true,
            ["kind"] = "Deployment",
            ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
        }),
    };
}
