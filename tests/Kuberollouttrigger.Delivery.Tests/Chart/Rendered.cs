using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Delivery.Tests.Chart;

/// <summary>Looks things up in a list of rendered objects.</summary>
public static class Rendered
{
    private static readonly HashSet<string> ClusterScoped = ["ClusterRole", "ClusterRoleBinding", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "Namespace", "PriorityClass"];

    public static bool IsClusterScoped(JsonObject o) => ClusterScoped.Contains(Kind(o));

    public static string Kind(JsonObject o) => o["kind"]!.GetValue<string>();

    public static string Name(JsonObject o) => o["metadata"]!["name"]!.GetValue<string>();

    public static IEnumerable<JsonObject> OfKind(this IEnumerable<JsonObject> objects, string kind) => objects.Where(o => Kind(o) == kind);

    public static JsonObject Single(this IEnumerable<JsonObject> objects, string kind, string nameEnd) =>
        Assert.Single(objects, o => Kind(o) == kind && Name(o).EndsWith(nameEnd, StringComparison.Ordinal));

    /// <summary>The first container of a Deployment whose name ends with <paramref name="nameEnd"/>.</summary>
    public static JsonObject Container(this IEnumerable<JsonObject> objects, string nameEnd) =>
        objects.Single("Deployment", nameEnd)["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();

    public static JsonObject PodSpec(this IEnumerable<JsonObject> objects, string nameEnd) =>
        objects.Single("Deployment", nameEnd)["spec"]!["template"]!["spec"]!.AsObject();

    /// <summary>The env entry <paramref name="name"/> of a container, or null.</summary>
    public static JsonObject? Env(this JsonObject container, string name) =>
        container["env"]?.AsArray().Select(e => e!.AsObject()).FirstOrDefault(e => e["name"]!.GetValue<string>() == name);
}
