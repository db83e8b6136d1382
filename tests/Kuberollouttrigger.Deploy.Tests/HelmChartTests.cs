using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kuberollouttrigger.Testing.Yaml;

namespace Kuberollouttrigger.Deploy.Tests;

/// <summary>What can be checked of the chart without a helm binary; the GitHub workflow runs helm lint, template and a kind install.</summary>
public sealed partial class HelmChartTests
{
    private const string Chart = "deploy/helm/kuberollouttrigger";
    private static readonly string Schema = Repository.PathOf($"{Chart}/values.schema.json");

    public static TheoryData<string> ValuesFiles() =>
        [$"{Chart}/values.yaml", .. Directory.GetFiles(Repository.PathOf("deploy/helm/examples"), "*.yaml").Select(f => Path.GetRelativePath(Repository.Root, f))];

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void Values_files_match_the_schema(string file)
    {
        var values = Merge(Values(), YamlJson.Parse(Repository.Read(file)));

        Assert.Empty(SchemaCheck.Errors(Schema, values));
    }

    [Theory]
    [InlineData("worker:\n  namespaces: [Shop]")]
    [InlineData("worker:\n  concurrency: 0")]
    [InlineData("web:\n  github:\n    issuer: http://token.actions.githubusercontent.com")]
    [InlineData("allowedImagePrefix: GHCR.io/Acme")]
    [InlineData("logLevel: verbose")]
    [InlineData("unknownKey: 1")]
    [InlineData("worker:\n  replicaCount: 2")]
    [InlineData("worker:\n  workloadKinds: [cronjobs]")]
    [InlineData("worker:\n  workloadKinds: [Deployments]")]
    [InlineData("worker:\n  workloadKinds: []")]
    [InlineData("worker:\n  workloadKinds: [deployments, deployments]")]
    [InlineData("worker:\n  workloadKinds: deployments")]
    [InlineData("worker:\n  emitEvents: \"yes\"")]
    [InlineData("delivery:\n  mode: kafka")]
    [InlineData("delivery:\n  mode: Stream")]
    [InlineData("delivery:\n  mode: \"\"")]
    [InlineData("delivery:\n  stream:\n    maxDeliveries: 0")]
    [InlineData("delivery:\n  stream:\n    maxLength: 0")]
    [InlineData("delivery:\n  stream:\n    claimIdle: 60")]
    [InlineData("delivery:\n  stream:\n    group: \"\"")]
    [InlineData("delivery:\n  streamGroup: workers")]
    [InlineData("web:\n  maxTokenAge: 10 minutes")]
    [InlineData("web:\n  allowNoSubscriber: \"true\"")]
    [InlineData("web:\n  authFailuresPerMinute: -1")]
    [InlineData("web:\n  eventsPerMinutePerRepository: 1.5")]
    [InlineData("worker:\n  coalesceWindow: \"0m0\"")]
    [InlineData("worker:\n  rolloutTimeout: 10")]
    [InlineData("policy:\n  rules: []")]
    public void Schema_refuses_wrong_values(string overrides)
    {
        var values = Merge(Values(), YamlJson.Parse(overrides));

        Assert.NotEmpty(SchemaCheck.Errors(Schema, values));
    }

    [Fact]
    public void Schema_describes_every_value_in_values_yaml()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Schema))!;
        foreach (var path in Leaves(Values()!, ""))
        {
            var node = schema;
            foreach (var part in path.Split('.'))
                node = node?["properties"]?[part];
            Assert.True(node is not null, $"values.schema.json does not describe {path}");
        }
    }

    [Fact]
    public void Every_template_reads_only_values_that_exist()
    {
        var values = Values()!;
        var templates = Directory.GetFiles(Repository.PathOf($"{Chart}/templates"));
        Assert.NotEmpty(templates);
        foreach (var template in templates)
        {
            var text = File.ReadAllText(template);
            var references = ValuesReference().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();
            if (Path.GetFileName(template) is not "_helpers.tpl")
                Assert.True(references.Count > 0, $"{Path.GetFileName(template)} is not switched or shaped by any value");
            foreach (var reference in references)
            {
                JsonNode? node = values;
                foreach (var part in reference.Split('.'))
                    node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child ?? JsonValue.Create("") : null;
                Assert.True(node is not null, $"{Path.GetFileName(template)} reads .Values.{reference}, which values.yaml does not have");
            }
        }
    }

    [Fact]
    public void Worker_RBAC_is_exactly_get_list_watch_patch_on_the_enabled_kinds_plus_create_events_only_when_enabled()
    {
        var rbac = Repository.Read($"{Chart}/templates/worker-rbac.yaml");

        // The rules are built in one place from two values and written, unchanged, into the ClusterRole or every Role.
        Assert.Equal(
            """$rules := list (dict "apiGroups" (list "apps") "resources" (uniq .Values.worker.workloadKinds) "verbs" (list "get" "list" "watch" "patch"))""",
            Assert.Single(RulesLine().Matches(rbac)).Value);
        Assert.Equal(
            "{{- if .Values.worker.emitEvents }}\n"
            + """{{- $rules = append $rules (dict "apiGroups" (list "") "resources" (list "events") "verbs" (list "create")) }}"""
            + "\n{{- end }}",
            Assert.Single(EventsRule().Matches(rbac)).Value);
        Assert.Equal(2, Regex.Count(rbac, @"\$rules :?= "));
        Assert.Equal(2, Regex.Count(rbac, @"toYaml \$rules"));
        Assert.DoesNotContain("rules:\n  -", rbac, StringComparison.Ordinal);
        Assert.Contains("kind: ClusterRole\n", rbac, StringComparison.Ordinal);
        Assert.Contains("kind: RoleBinding\n", rbac, StringComparison.Ordinal);
        Assert.Contains("{{- if .Values.worker.namespaces }}", rbac, StringComparison.Ordinal);
        foreach (var template in Directory.GetFiles(Repository.PathOf($"{Chart}/templates")))
        {
            var text = File.ReadAllText(template);
            Assert.DoesNotContain("verbs:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"*\"", text, StringComparison.Ordinal);
        }

        // The kinds the rules name can only be workload kinds: the schema allows nothing else, and at least one.
        var kinds = JsonNode.Parse(File.ReadAllText(Schema))!["properties"]!["worker"]!["properties"]!["workloadKinds"]!;
        Assert.Equal(["deployments", "statefulsets", "daemonsets"], kinds["items"]!["enum"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Equal(1, kinds["minItems"]!.GetValue<int>());
        var worker = Values()!["worker"]!;
        Assert.Equal(["deployments"], worker["workloadKinds"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.False(worker["emitEvents"]!.GetValue<bool>());
    }

    [Fact]
    public void Worker_settings_follow_the_values_the_RBAC_rules_are_built_from()
    {
        var worker = Repository.Read($"{Chart}/templates/worker-deployment.yaml");

        Assert.Contains("- name: ALLOWED_NAMESPACES\n              value: {{ join \",\" .Values.worker.namespaces | quote }}", worker, StringComparison.Ordinal);
        Assert.Contains("- name: WORKLOAD_KINDS\n              value: {{ join \",\" (uniq .Values.worker.workloadKinds) | quote }}", worker, StringComparison.Ordinal);
        Assert.Contains("- name: EMIT_EVENTS\n              value: {{ .Values.worker.emitEvents | quote }}", worker, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web-deployment.yaml", "/healthz", "/readyz")]
    [InlineData("worker-deployment.yaml", "/healthz", "/readyz")]
    public void Both_modes_run_hardened_with_probes(string file, string liveness, string readiness)
    {
        var text = Repository.Read($"{Chart}/templates/{file}");
        var helpers = Repository.Read($"{Chart}/templates/_helpers.tpl");

        Assert.Contains("include \"krt.podSecurityContext\"", text, StringComparison.Ordinal);
        Assert.Contains("include \"krt.containerSecurityContext\"", text, StringComparison.Ordinal);
        Assert.Contains($"path: {liveness}", text, StringComparison.Ordinal);
        Assert.Contains($"path: {readiness}", text, StringComparison.Ordinal);
        foreach (var setting in new[] { "runAsNonRoot: true", "readOnlyRootFilesystem: true", "allowPrivilegeEscalation: false", "drop: [\"ALL\"]", "type: RuntimeDefault" })
            Assert.Contains(setting, helpers, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_resources_are_the_original_ones()
    {
        var values = Values()!;
        foreach (var mode in new[] { "web", "worker" })
        {
            var resources = values[mode]!["resources"]!;
            Assert.Equal("50m", resources["requests"]!["cpu"]!.GetValue<string>());
            Assert.Equal("64Mi", resources["requests"]!["memory"]!.GetValue<string>());
            Assert.Equal("200m", resources["limits"]!["cpu"]!.GetValue<string>());
            Assert.Equal("128Mi", resources["limits"]!["memory"]!.GetValue<string>());
        }
    }

    private static JsonNode? Values() => YamlJson.Parse(Repository.Read($"{Chart}/values.yaml"));

    private static JsonNode? Merge(JsonNode? target, JsonNode? overrides)
    {
        if (overrides is not JsonObject patch || target is not JsonObject result)
            return overrides?.DeepClone();
        foreach (var (key, value) in patch)
            result[key] = Merge(result[key]?.DeepClone(), value);
        return result;
    }

    private static IEnumerable<string> Leaves(JsonNode node, string prefix)
    {
        if (node is JsonObject o && o.Count > 0 && !prefix.EndsWith("annotations", StringComparison.OrdinalIgnoreCase) && !prefix.EndsWith("labels", StringComparison.Ordinal) && !prefix.EndsWith("Selector", StringComparison.Ordinal))
            return o.SelectMany(kv => Leaves(kv.Value ?? JsonValue.Create("")!, prefix.Length == 0 ? kv.Key : $"{prefix}.{kv.Key}"));
        return [prefix];
    }

    [GeneratedRegex(@"\.Values\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"\$rules := list \(.*\)\)")]
    private static partial Regex RulesLine();

    [GeneratedRegex(@"\{\{- if \.Values\.worker\.emitEvents \}\}\n.*\n\{\{- end \}\}")]
    private static partial Regex EventsRule();
}
