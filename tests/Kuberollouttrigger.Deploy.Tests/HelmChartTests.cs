using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kuberollouttrigger.Testing.Yaml;

namespace Kuberollouttrigger.Deploy.Tests;

/// <summary>What can be checked of the chart without helm; Delivery.Tests renders and runs it with helm 3 and 4, the GitHub workflow installs it on kind.</summary>
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
    [InlineData("web:\n  maxWaits: 0")]
    [InlineData("web:\n  maxWaitsPerRepository: 100001")]
    [InlineData("web:\n  networkPolicy:\n    from: ingress-nginx")]
    [InlineData("web:\n  networkPolicy:\n    from: [ingress-nginx]")]
    [InlineData("valkey:\n  sentinelMaster: my primary")]
    [InlineData("valkey:\n  sentinelMaster: a,b")]
    [InlineData("valkey:\n  cluster: \"true\"")]
    [InlineData("valkey:\n  nodePorts: [0]")]
    [InlineData("valkey:\n  nodePorts: [6379, 6379]")]
    [InlineData("valkey:\n  nodePorts: 6379")]
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
            JsonNode? node = schema;
            foreach (var part in path.Split('.'))
                node = Resolve(schema, node)?["properties"]?[part];
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
    [InlineData("web-deployment.yaml", "web", "/healthz", "/readyz")]
    [InlineData("worker-deployment.yaml", "worker", "/healthz", "/readyz")]
    public void Both_modes_run_hardened_with_probes(string file, string mode, string liveness, string readiness)
    {
        var text = Repository.Read($"{Chart}/templates/{file}");
        var values = Values()![mode]!;

        Assert.Contains($"{{{{- toYaml .Values.{mode}.podSecurityContext | nindent 8 }}}}", text, StringComparison.Ordinal);
        Assert.Contains($"{{{{- toYaml .Values.{mode}.containerSecurityContext | nindent 12 }}}}", text, StringComparison.Ordinal);
        Assert.Contains($"path: {liveness}", text, StringComparison.Ordinal);
        Assert.Contains($"path: {readiness}", text, StringComparison.Ordinal);
        var pod = values["podSecurityContext"]!;
        var container = values["containerSecurityContext"]!;
        Assert.True(pod["runAsNonRoot"]!.GetValue<bool>());
        Assert.Equal(1654, pod["runAsUser"]!.GetValue<long>());
        Assert.Equal("RuntimeDefault", pod["seccompProfile"]!["type"]!.GetValue<string>());
        Assert.True(container["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.False(container["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.True(container["runAsNonRoot"]!.GetValue<bool>());
        Assert.Equal(["ALL"], container["capabilities"]!["drop"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("RuntimeDefault", container["seccompProfile"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("web")]
    [InlineData("worker")]
    public void Memory_request_and_limit_follow_the_measurement_in_a_container(string mode)
    {
        // docs/performance.md: | mode | load | limit | idle working set | idle RSS split | peak working set | peak usage | OOM kills |
        var row = MemoryRow().Matches(Repository.Read("docs/performance.md")).Single(m => m.Groups[1].Value == mode);
        var resources = Values()![mode]!["resources"]!;
        var request = Mebibytes(resources["requests"]!["memory"]!.GetValue<string>());
        var limit = Mebibytes(resources["limits"]!["memory"]!.GetValue<string>());
        double Figure(int group) => double.Parse(row.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(limit, Figure(2));
        Assert.True(request >= Figure(3), $"{mode}: request {request}Mi is below the idle working set {Figure(3)} MiB");
        Assert.True(request <= Figure(3) * 1.5 + 16, $"{mode}: request {request}Mi is far above the idle working set {Figure(3)} MiB");
        Assert.True(limit >= Figure(5) * 1.25, $"{mode}: limit {limit}Mi leaves less than 25% above the peak usage {Figure(5)} MiB");
        Assert.Equal(0, Figure(6));
    }

    private static double Mebibytes(string quantity) =>
        quantity.EndsWith("Mi", StringComparison.Ordinal) ? double.Parse(quantity[..^2], System.Globalization.CultureInfo.InvariantCulture)
        : quantity.EndsWith("Gi", StringComparison.Ordinal) ? 1024 * double.Parse(quantity[..^2], System.Globalization.CultureInfo.InvariantCulture)
        : throw new FormatException($"memory {quantity} is not in Mi or Gi");

    [GeneratedRegex(@"^\| (web|worker) \| [^|]+ \| ([0-9]+)Mi \| ([0-9.]+) MiB \| [^|]+ \| ([0-9.]+) MiB \| ([0-9.]+) MiB \| ([0-9]+) \|$", RegexOptions.Multiline)]
    private static partial Regex MemoryRow();

    /// <summary>A schema node, or the definition its $ref names.</summary>
    private static JsonNode? Resolve(JsonNode schema, JsonNode? node) =>
        node?["$ref"]?.GetValue<string>() is { } reference ? schema["definitions"]![reference["#/definitions/".Length..]] : node;

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
        if (node is JsonObject o && o.Count > 0 && !prefix.EndsWith("annotations", StringComparison.OrdinalIgnoreCase) && !prefix.EndsWith("labels", StringComparison.OrdinalIgnoreCase) && !prefix.EndsWith("Selector", StringComparison.Ordinal) && !prefix.EndsWith("SecurityContext", StringComparison.Ordinal) && prefix is not "global" and not "networkPolicy.dns")
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
