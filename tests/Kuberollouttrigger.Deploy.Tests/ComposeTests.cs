using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kuberollouttrigger.Testing.Yaml;

namespace Kuberollouttrigger.Deploy.Tests;

/// <summary>The local stack, checked against the Compose Specification's JSON schema, without Docker (Delivery.Tests runs it).</summary>
public sealed partial class ComposeTests
{
    private static readonly JsonObject Compose = YamlJson.Parse(Repository.Read("docker-compose.yml"))!.AsObject();

    [Fact]
    public void Compose_file_matches_the_Compose_specification_schema()
    {
        var errors = SchemaCheck.Errors(Repository.PathOf("deploy/schemas/compose-spec.json"), Compose);

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [InlineData("enviroment")]
    [InlineData("read_onyl")]
    public void Schema_check_catches_a_misspelt_key(string key)
    {
        var broken = Compose.DeepClone().AsObject();
        broken["services"]!["web"]![key] = "x";

        Assert.NotEmpty(SchemaCheck.Errors(Repository.PathOf("deploy/schemas/compose-spec.json"), broken));
    }

    [Fact]
    public void Every_service_the_docs_mention_exists()
    {
        var services = Compose["services"]!.AsObject().Select(kv => kv.Key).ToHashSet();
        var docs = Repository.Read("docs/local-stack.md");

        var mentioned = ServiceMention().Matches(docs).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.NotEmpty(mentioned);
        Assert.All(mentioned, name => Assert.Contains(name, services));
        Assert.Superset(new HashSet<string> { "valkey", "k3s", "web", "worker", "jaeger" }, services);
    }

    [Fact]
    public void Dev_mode_is_explicit_and_only_on_the_local_web()
    {
        var web = Compose["services"]!["web"]!["environment"]!;
        Assert.Equal("true", web["DEV_MODE"]!.GetValue<string>());
        Assert.Null(Compose["services"]!["worker"]!["environment"]!["DEV_MODE"]);
    }

    [Fact]
    public void Ports_are_published_on_loopback_only()
    {
        foreach (var (name, service) in Compose["services"]!.AsObject())
        {
            foreach (var port in service!["ports"]?.AsArray() ?? [])
                Assert.StartsWith("127.0.0.1:", port!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_two_modes_run_one_image_read_only()
    {
        var services = Compose["services"]!;
        Assert.Equal(services["web"]!["image"]!.GetValue<string>(), services["worker"]!["image"]!.GetValue<string>());
        Assert.Equal("web", services["web"]!["command"]![0]!.GetValue<string>());
        Assert.Equal("worker", services["worker"]!["command"]![0]!.GetValue<string>());
        Assert.True(services["web"]!["read_only"]!.GetValue<bool>());
        Assert.True(services["worker"]!["read_only"]!.GetValue<bool>());
    }

    [Fact]
    public void k3s_keeps_its_state_in_a_volume_and_the_setup_writes_the_kubeconfig_on_every_start()
    {
        var k3s = Compose["services"]!["k3s"]!;
        var setup = Repository.Read("deploy/compose/k3s-setup.sh");

        Assert.Contains("k3s-data:/var/lib/rancher/k3s", k3s["volumes"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.NotNull(Compose["volumes"]!["k3s-data"]);
        Assert.Equal("no", Compose["services"]!["k3s-setup"]!["restart"]!.GetValue<string>());
        // No early exit on an existing file: the worker's kubeconfig is removed, rewritten and proven against the API.
        Assert.Contains("rm -f \"$worker\"", setup, StringComparison.Ordinal);
        Assert.Contains("KUBECONFIG=\"$worker.new\" kubectl get --raw /readyz", setup, StringComparison.Ordinal);
        Assert.Contains("mv \"$worker.new\" \"$worker\"", setup, StringComparison.Ordinal);
        Assert.Contains("docker compose down -v", Repository.Read("docs/local-stack.md"), StringComparison.Ordinal);
    }

    /// <summary>Service names written as <c>`name`</c> in the services table of docs/local-stack.md.</summary>
    [GeneratedRegex(@"^\| `([a-z0-9-]+)` \|", RegexOptions.Multiline)]
    private static partial Regex ServiceMention();
}
