using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.Testing.Yaml;

namespace Kuberollouttrigger.Deploy.Tests;

/// <summary>The chart against the programs: the env vars it sets are names the mode reads, with the mode's defaults.</summary>
public sealed partial class HelmChartTests
{
    /// <summary>Standard OpenTelemetry variables, read by the SDK rather than declared as settings.</summary>
    private static readonly string[] OpenTelemetryVariables = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME"];

    public static TheoryData<string, string, string> Modes() => new()
    {
        // DEV_MODE is deliberately not a chart value.
        { "web-deployment.yaml", "web", "DEV_MODE" },
        // The worker always runs in the cluster, with its service account.
        { "worker-deployment.yaml", "worker", "KUBECONFIG" },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Templates_set_exactly_the_settings_the_mode_reads(string template, string mode, string notAChartValue)
    {
        var known = SettingsOf(mode).Select(s => s.EnvVar).ToHashSet(StringComparer.Ordinal);
        var set = EnvNames(TemplateWithIncludes(template)).ToList();

        Assert.Equal(set.Count, set.Distinct(StringComparer.Ordinal).Count());
        foreach (var name in set.Except(OpenTelemetryVariables))
            Assert.True(known.Contains(name), $"{template} sets {name}, which the {mode} mode does not read");
        Assert.Equal([notAChartValue], known.Except(set).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Chart_defaults_are_the_programs_defaults()
    {
        var values = Values()!;
        var settings = SettingsOf("web").Concat(SettingsOf("worker")).DistinctBy(s => s.EnvVar).ToDictionary(s => s.EnvVar, StringComparer.Ordinal);
        var compared = new List<string>();
        foreach (var template in new[] { "web-deployment.yaml", "worker-deployment.yaml" })
        {
            foreach (Match m in DirectEnvValue().Matches(TemplateWithIncludes(template)))
            {
                if (!settings.TryGetValue(m.Groups[1].Value, out var setting) || setting.Default is null)
                    continue;
                var value = Text(At(values, m.Groups[2].Value));
                if (setting.IsDuration)
                    Assert.True(Durations.Parse(value) == Durations.Parse(setting.Default), $"{m.Groups[2].Value}: {value}, but {setting.EnvVar} defaults to {setting.Default}");
                else
                    Assert.True(setting.Default == value, $"{m.Groups[2].Value}: {value}, but {setting.EnvVar} defaults to {setting.Default}");
                compared.Add(setting.EnvVar);
            }
        }

        string[] added =
        [
            "DELIVERY_MODE", "STREAM_GROUP", "STREAM_MAX_LEN", "STREAM_CLAIM_IDLE", "STREAM_MAX_DELIVERIES", "MAX_TOKEN_AGE", "ALLOW_NO_SUBSCRIBER",
            "AUTH_FAILURES_PER_MINUTE", "EVENTS_PER_MINUTE_PER_REPOSITORY", "NO_MATCH_IS_SUCCESS", "COALESCE_WINDOW", "EVENT_STATUS_TTL",
            "ROLLOUT_TIMEOUT", "DEDUP_TTL", "DRY_RUN", "MAX_PARALLEL_RESTARTS", "WORKER_CONCURRENCY", "MAX_WAITS", "MAX_WAITS_PER_REPOSITORY",
        ];
        Assert.Empty(added.Except(compared));
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void Policies_in_values_files_are_valid_for_the_program(string file)
    {
        var policy = Text(Merge(Values(), YamlJson.Parse(Repository.Read(file)))!["policy"]);

        if (policy.Length > 0)
            Assert.Empty(PolicyFileReader.Read(policy).Errors);
    }

    [Fact]
    public void An_example_shows_a_policy_with_stream_delivery()
    {
        var examples = Directory.GetFiles(Repository.PathOf("deploy/helm/examples"), "*.yaml").Select(f => YamlJson.Parse(File.ReadAllText(f))).ToList();

        Assert.Contains(examples, e => Text(e?["policy"]).Length > 0 && Text(e?["delivery"]?["mode"]) == "stream");
    }

    [Theory]
    [InlineData("web-deployment.yaml", "web")]
    [InlineData("worker-deployment.yaml", "worker")]
    public void A_policy_is_a_read_only_ConfigMap_mount_whose_checksum_rolls_the_pods(string file, string mode)
    {
        var text = Repository.Read($"{Chart}/templates/{file}");
        var helpers = Repository.Read($"{Chart}/templates/_helpers.tpl");
        var configMap = Repository.Read($"{Chart}/templates/policy-configmap.yaml");

        Assert.Contains(
            "            {{- if .Values.policy }}\n            - name: policy\n              mountPath: {{ include \"krt.policyDir\" . }}\n              readOnly: true\n            {{- end }}",
            text, StringComparison.Ordinal);
        Assert.Contains(
            "        {{- if .Values.policy }}\n        - name: policy\n          configMap:\n            name: {{ include \"krt.component\" (dict \"root\" . \"suffix\" \"policy\") }}\n        {{- end }}",
            text, StringComparison.Ordinal);
        Assert.Contains($"{{{{- with include \"krt.podAnnotations\" (dict \"root\" . \"annotations\" .Values.{mode}.podAnnotations) }}}}", text, StringComparison.Ordinal);
        Assert.Contains("""set $annotations "checksum/policy" (include (print .root.Template.BasePath "/policy-configmap.yaml") .root | sha256sum)""", helpers, StringComparison.Ordinal);
        Assert.Contains("{{- if .Values.policy }}\n- name: POLICY_FILE\n  value: {{ include \"krt.policyFile\" . | quote }}\n{{- end }}", Define(helpers, "krt.commonEnv"), StringComparison.Ordinal);
        Assert.StartsWith("{{ include \"krt.policyDir\" . }}/policy.yaml\n{{- end -}}", Define(helpers, "krt.policyFile"), StringComparison.Ordinal);
        Assert.StartsWith("{{- if .Values.policy }}\n", configMap, StringComparison.Ordinal);
        Assert.Contains("name: {{ include \"krt.component\" (dict \"root\" . \"suffix\" \"policy\") }}\n", configMap, StringComparison.Ordinal);
        Assert.Contains("""toYaml (dict "policy.yaml" .Values.policy)""", configMap, StringComparison.Ordinal);
        // The mount adds no writable path: the root filesystem stays read-only, /tmp is the only emptyDir.
        Assert.Equal(1, Regex.Count(text, "emptyDir:"));
    }

    private static IReadOnlyList<Setting> SettingsOf(string mode) => mode == "web" ? IngressSettings.All : WorkerSettings.All;

    /// <summary>The template's text followed by the bodies of the helpers it includes, and theirs.</summary>
    private static string TemplateWithIncludes(string template)
    {
        var helpers = Repository.Read($"{Chart}/templates/_helpers.tpl");
        var text = Repository.Read($"{Chart}/templates/{template}");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>([text]);
        var all = new List<string>();
        while (pending.TryDequeue(out var next))
        {
            all.Add(next);
            foreach (Match include in IncludeCall().Matches(next))
            {
                if (seen.Add(include.Groups[1].Value) && Define(helpers, include.Groups[1].Value) is { Length: > 0 } body)
                    pending.Enqueue(body);
            }
        }
        return string.Join('\n', all);
    }

    /// <summary>The body of <c>define "name"</c>: up to the next define (its end and comments between them included).</summary>
    private static string Define(string helpers, string name)
    {
        var header = $"{{{{- define \"{name}\" -}}}}\n";
        var start = helpers.IndexOf(header, StringComparison.Ordinal);
        if (start < 0)
            return "";
        start += header.Length;
        var end = helpers.IndexOf("{{- define \"", start, StringComparison.Ordinal);
        return end < 0 ? helpers[start..] : helpers[start..end];
    }

    private static IEnumerable<string> EnvNames(string text) => EnvName().Matches(text).Select(m => m.Groups[1].Value);

    private static JsonNode? At(JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (var part in path.Split('.'))
            current = current?[part];
        return current;
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    [GeneratedRegex(@"^\s*- name: ([A-Z][A-Z0-9_]*)\n\s+value(?:From)?:", RegexOptions.Multiline)]
    private static partial Regex EnvName();

    [GeneratedRegex(@"- name: ([A-Z][A-Z0-9_]*)\n\s+value: \{\{ \.Values\.([A-Za-z0-9_.]+) (?:\| int64 )?\| quote \}\}")]
    private static partial Regex DirectEnvValue();

    [GeneratedRegex(@"include ""(krt\.[A-Za-z0-9_.]+)""")]
    private static partial Regex IncludeCall();
}
