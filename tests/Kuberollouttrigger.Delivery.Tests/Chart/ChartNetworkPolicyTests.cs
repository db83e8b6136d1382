using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Delivery.Tests.Chart;

/// <summary>
/// The attack (issue 11, finding 8): with TRUSTED_PROXIES set to the pod network, as the chart's example had it, any pod
/// could reach the web pods and name any client in X-Forwarded-For, evading its own failure budget and spending
/// another's. Now the chart restricts the web NetworkPolicy's ingress to the peers in <c>web.networkPolicy.from</c>,
/// and every example that trusts proxies lets only its ingress controller in.
/// </summary>
public sealed class ChartNetworkPolicyTests
{
    [SkippableTheory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task Example_that_trusts_proxies_lets_only_the_ingress_controller_reach_the_web_pods(string helm)
    {
        var sets = ValueSets.All.Keys.Concat(Directory.GetFiles(Tools.Repository.PathOf("deploy/helm/examples"), "*.yaml").Select(f => Path.GetFileName(f)));
        foreach (var example in sets)
        {
            var objects = await new Helm(helm).TemplateAsync(ValueSets.Get(example));
            if (objects.Container("-web").Env("TRUSTED_PROXIES") is null)
                continue;

            var from = Ingress(objects)["from"]?.AsArray();

            Assert.True(from is { Count: > 0 }, $"{example}: TRUSTED_PROXIES is set, but any pod may reach the web pods");
        }
        var stream = await new Helm(helm).TemplateAsync(ValueSets.Get("policy-stream-values.yaml"));
        var peer = Assert.Single(Ingress(stream)["from"]!.AsArray())!;
        Assert.Equal("ingress-nginx", peer["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        Assert.Equal("ingress-nginx", peer["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]!.GetValue<string>());
        Assert.Equal(8080L, Ingress(stream)["ports"]![0]!["port"]!.GetValue<long>());
    }

    [SkippableTheory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task Without_peers_the_web_port_stays_open_to_any_source_as_before(string helm)
    {
        var objects = await new Helm(helm).TemplateAsync(ValueSets.Required);

        var rule = Ingress(objects);

        Assert.Null(rule["from"]);
        Assert.Equal(8080L, rule["ports"]![0]!["port"]!.GetValue<long>());
    }

    private static JsonObject Ingress(IReadOnlyList<JsonObject> objects) =>
        Assert.Single(objects.Single("NetworkPolicy", "-web")["spec"]!["ingress"]!.AsArray())!.AsObject();
}
