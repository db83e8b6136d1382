using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Network;

namespace Kuberollouttrigger.Delivery.Tests.Chart;

/// <summary>
/// What a cluster gives the rendered pods besides their containers: the rendered Secrets, ConfigMaps and Services
/// (and those the test adds, as a platform team would have them), a service account token per service account whose
/// permissions on the fake API are exactly the rendered RBAC rules bound to it, and the API server's address and CA.
/// </summary>
public sealed class ClusterStandIn(string network, FakeKubernetesApi api, string caPem, IReadOnlyList<JsonObject> objects)
{
    private readonly Dictionary<string, Dictionary<string, string>> _secrets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _configMaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public string Network { get; } = network;

    public string ApiHost => api.BaseAddress.Host;

    public int ApiPort => api.BaseAddress.Port;

    public string CaPem { get; } = caPem;

    /// <summary>The tokens handed to service accounts, by account name.</summary>
    public IReadOnlyDictionary<string, string> Tokens => _tokens;

    public void AddSecret(string name, Dictionary<string, string> data) => _secrets[name] = data;

    public void AddConfigMap(string name, Dictionary<string, string> data) => _configMaps[name] = data;

    public Dictionary<string, string>? Secret(string name)
    {
        if (_secrets.TryGetValue(name, out var added))
            return added;
        var rendered = objects.FirstOrDefault(o => Rendered.Kind(o) == "Secret" && Rendered.Name(o) == name);
        return rendered?["data"]?.AsObject().ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(Convert.FromBase64String(kv.Value!.GetValue<string>())), StringComparer.Ordinal);
    }

    public Dictionary<string, string>? ConfigMap(string name)
    {
        if (_configMaps.TryGetValue(name, out var added))
            return added;
        var rendered = objects.FirstOrDefault(o => Rendered.Kind(o) == "ConfigMap" && Rendered.Name(o) == name);
        return rendered?["data"]?.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal);
    }

    /// <summary>The rendered Services whose selector matches <paramref name="labels"/>: the names the pod is reachable under.</summary>
    public IEnumerable<string> ServiceNamesSelecting(IDictionary<string, string> labels) =>
        objects.OfKind("Service")
            .Where(s => s["spec"]!["selector"]!.AsObject().All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value!.GetValue<string>()))
            .Select(Rendered.Name);

    /// <summary>
    /// A token for the service account <paramref name="account"/> of the release's namespace, allowed on the fake API
    /// exactly what the rendered Roles and ClusterRoles bound to it allow: Role rules in the Role's namespace, a
    /// ClusterRole bound by a ClusterRoleBinding everywhere.
    /// </summary>
    public string TokenOf(string account)
    {
        if (_tokens.TryGetValue(account, out var token))
            return token;
        token = $"sa-{account}-{Guid.NewGuid():N}";
        _tokens[account] = token;
        foreach (var binding in objects.Where(o => Rendered.Kind(o) is "RoleBinding" or "ClusterRoleBinding"))
        {
            var subjects = binding["subjects"]!.AsArray().Select(s => s!.AsObject());
            if (!subjects.Any(s => s["kind"]!.GetValue<string>() == "ServiceAccount" && s["name"]!.GetValue<string>() == account && s["namespace"]!.GetValue<string>() == Helm.Namespace))
                continue;
            var roleRef = binding["roleRef"]!;
            var bindingNamespace = binding["metadata"]!["namespace"]?.GetValue<string>();
            var role = objects.Single(o => Rendered.Kind(o) == roleRef["kind"]!.GetValue<string>() && Rendered.Name(o) == roleRef["name"]!.GetValue<string>()
                && (Rendered.Kind(o) == "ClusterRole" || o["metadata"]!["namespace"]?.GetValue<string>() == bindingNamespace));
            var scope = Rendered.Kind(binding) == "ClusterRoleBinding" ? "*" : bindingNamespace!;
            foreach (var rule in role["rules"]!.AsArray())
            {
                api.Rbac.GrantRule(token, scope, Strings(rule!["apiGroups"]), Strings(rule["resources"]), Strings(rule["verbs"]));
            }
        }
        api.Rbac.GrantRule(token, "*", [], [], []);
        return token;
    }

    /// <summary>The rendered Deployment whose name ends with <paramref name="nameEnd"/>, as the KubernetesClient model.</summary>
    public V1Deployment Deployment(string nameEnd) =>
        k8s.KubernetesJson.Deserialize<V1Deployment>(objects.Single("Deployment", nameEnd).ToJsonString());

    private static List<string> Strings(JsonNode? node) => [.. node?.AsArray().Select(n => n!.GetValue<string>()) ?? []];
}
