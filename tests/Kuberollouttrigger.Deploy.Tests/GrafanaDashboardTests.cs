using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kuberollouttrigger.Deploy.Tests;

public sealed partial class GrafanaDashboardTests
{
    [Fact]
    public void Dashboard_queries_only_metrics_the_services_export()
    {
        var dashboard = JsonNode.Parse(Repository.Read("deploy/grafana/kuberollouttrigger.json"))!;
        var documented = Repository.Read("docs/observability.md");
        var expressions = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray().Select(t => t!["expr"]!.GetValue<string>())).ToList();

        Assert.NotEmpty(expressions);
        foreach (var metric in expressions.SelectMany(e => OwnMetric().Matches(e).Select(m => m.Value)).Distinct())
        {
            var family = Regex.Replace(metric, "_(bucket|count|sum)$", "");
            Assert.True(documented.Contains($"`{family}`", StringComparison.Ordinal), $"{metric} is not in the metrics table of docs/observability.md");
        }
    }

    [GeneratedRegex("kuberollouttrigger_[a-z_]+")]
    private static partial Regex OwnMetric();
}
