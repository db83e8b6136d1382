using System.Text.Json.Nodes;

namespace Kuberollouttrigger.Delivery.Tests.Chart;

/// <summary>The chart rendered by helm 3 and helm 4 over every value set, linted, and each object checked as the API server would.</summary>
public sealed class ChartRenderTests
{
    private const string WithServiceMonitorCrd = "monitoring.coreos.com/v1/ServiceMonitor";

    [SkippableTheory]
    [MemberData(nameof(ValueSets.WithBothHelms), MemberType = typeof(ValueSets))]
    public async Task Lint_passes_strictly(string valueSet, string helm)
    {
        var (code, output) = await new Helm(helm).LintAsync(ValueSets.Get(valueSet));

        Assert.True(code == 0, output);
        Assert.Contains("1 chart(s) linted, 0 chart(s) failed", output, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(ValueSets.WithBothHelms), MemberType = typeof(ValueSets))]
    public async Task Every_rendered_object_is_valid_for_the_Kubernetes_API(string valueSet, string helm)
    {
        var objects = await new Helm(helm).TemplateAsync(ValueSets.Get(valueSet), "--api-versions", WithServiceMonitorCrd);

        Assert.NotEmpty(objects);
        Assert.Empty(objects.SelectMany(KubernetesSchema.Errors));
    }

    [SkippableFact]
    public async Task The_check_refuses_a_misspelt_field_a_wrong_type_and_an_unknown_kind()
    {
        var objects = await new Helm("helm4").TemplateAsync(ValueSets.Required);
        var web = objects.Single("Deployment", "-web");

        var misspelt = web.DeepClone().AsObject();
        misspelt["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolcy"] = "Always";
        var wrongType = web.DeepClone().AsObject();
        wrongType["spec"]!["replicas"] = "two";
        var listAsMap = web.DeepClone().AsObject();
        listAsMap["spec"]!["template"]!["spec"]!["containers"]![0]!["args"] = new JsonObject { ["web"] = true };
        var unknownKind = web.DeepClone().AsObject();
        unknownKind["kind"] = "Deploymnet";

        Assert.Empty(KubernetesSchema.Errors(web));
        Assert.Contains("imagePullPolcy", Assert.Single(KubernetesSchema.Errors(misspelt)), StringComparison.Ordinal);
        Assert.NotEmpty(KubernetesSchema.Errors(wrongType));
        Assert.NotEmpty(KubernetesSchema.Errors(listAsMap));
        Assert.NotEmpty(KubernetesSchema.Errors(unknownKind));
    }

    [SkippableTheory]
    [MemberData(nameof(ValueSets.WithBothHelms), MemberType = typeof(ValueSets))]
    public async Task Names_and_label_values_fit_in_63_characters_and_cluster_scoped_names_carry_the_namespace(string valueSet, string helm)
    {
        const string release = "a-release-name-that-is-as-long-as-helm-allows-it-be";
        const string ns = "a-namespace-whose-name-is-long-enough-to-push-every-name-over";
        var values = ValueSets.Get(valueSet);

        var (code, output) = await new Helm(helm).TryTemplateReleaseAsync(release, values, "--api-versions", WithServiceMonitorCrd, "--namespace", ns);
        Assert.True(code == 0, output);
        var objects = Testing.Yaml.YamlJson.ParseAll(output).Select(o => o.AsObject()).ToList();

        foreach (var o in objects)
        {
            Assert.True(Rendered.Name(o).Length <= 63, $"{Rendered.Kind(o)} {Rendered.Name(o)} is {Rendered.Name(o).Length} characters");
            foreach (var (key, value) in o["metadata"]!["labels"]?.AsObject() ?? [])
                Assert.True(value!.GetValue<string>().Length <= 63, $"label {key} of {Rendered.Name(o)}");
        }
        var cluster = objects.Where(Rendered.IsClusterScoped).ToList();
        Assert.All(cluster, o => Assert.StartsWith(ns[..20], Rendered.Name(o), StringComparison.Ordinal));
        Assert.Equal(objects.Count, objects.Select(o => (Rendered.Kind(o), o["metadata"]!["namespace"]?.GetValue<string>(), Rendered.Name(o))).Distinct().Count());
    }

    [SkippableTheory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task Two_releases_of_one_name_in_two_namespaces_have_distinct_cluster_scoped_objects(string helm)
    {
        var chart = new Helm(helm);
        var values = ValueSets.Required + "\nworker:\n  admissionGuard:\n    enabled: true\n";

        var a = (await chart.TemplateAsync(values, "--namespace", "team-a")).Where(Rendered.IsClusterScoped).Select(Rendered.Name).ToHashSet();
        var b = (await chart.TemplateAsync(values, "--namespace", "team-b")).Where(Rendered.IsClusterScoped).Select(Rendered.Name).ToHashSet();

        Assert.Equal(2, a.Count); // the worker's ClusterRole and its binding, the guard's policy and its binding
        Assert.Empty(a.Intersect(b));
    }

    [SkippableTheory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task Web_PodDisruptionBudget_only_with_more_than_one_replica(string helm)
    {
        var chart = new Helm(helm);

        var two = await chart.TemplateAsync(ValueSets.Required);
        var one = await chart.TemplateAsync(ValueSets.Required, "--set", "web.replicas=1");

        Assert.Single(two.OfKind("PodDisruptionBudget"));
        Assert.Empty(one.OfKind("PodDisruptionBudget"));
        Assert.NotNull(two.PodSpec("-web")["topologySpreadConstraints"]);
        Assert.Null(one.PodSpec("-web")["topologySpreadConstraints"]);
    }

    [SkippableTheory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task ServiceMonitor_only_where_its_CRD_is_installed(string helm)
    {
        var chart = new Helm(helm);
        var values = ValueSets.Required + "\nmetrics:\n  serviceMonitor:\n    enabled: true\n";

        Assert.Empty((await chart.TemplateAsync(values)).OfKind("ServiceMonitor"));
        Assert.Single((await chart.TemplateAsync(values, "--api-versions", WithServiceMonitorCrd)).OfKind("ServiceMonitor"));
    }

    [SkippableTheory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task NetworkPolicies_take_the_Valkey_port_from_the_address_and_refuse_a_valkey_port_that_differs(string helm)
    {
        var chart = new Helm(helm);
        var values = ValueSets.Required.Replace("valkey.platform.svc:6379", "valkey.platform.svc:6390", StringComparison.Ordinal);

        var objects = await chart.TemplateAsync(values);
        var (code, output) = await chart.TryTemplateAsync(values, "--set", "valkey.port=6379");

        foreach (var policy in objects.OfKind("NetworkPolicy"))
            Assert.Contains(EgressPorts(policy), p => p == 6390);
        Assert.DoesNotContain(objects.OfKind("NetworkPolicy").SelectMany(EgressPorts), p => p == 6379);
        Assert.NotEqual(0, code);
        Assert.Contains("valkey.port (6379) is not the port of the Valkey address valkey.platform.svc:6390 (6390)", output, StringComparison.Ordinal);
        Assert.Equal(0, (await chart.TryTemplateAsync(values, "--set", "valkey.port=6390")).Code);
    }

    [SkippableTheory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task Sentinel_and_Cluster_values_reach_both_modes_and_the_NetworkPolicies_allow_every_Valkey_port(string helm)
    {
        var chart = new Helm(helm);

        var sentinel = await chart.TemplateAsync(ValueSets.Get("valkey-sentinel-values.yaml"));
        var cluster = await chart.TemplateAsync(ValueSets.Get("valkey-cluster-values.yaml"));
        var nodePorts = await chart.TemplateAsync(ValueSets.Get("valkey-sentinel-values.yaml"), "--set-json", "valkey.nodePorts=[6380,6381]");

        foreach (var (objects, address, master, isCluster, ports) in new[]
        {
            (sentinel, "valkey-node-0.valkey-headless.platform.svc:26379,valkey-node-1", "myprimary", "false", new long[] { 26379, 6379 }),
            (cluster, "valkey-cluster.platform.svc:6379", "", "true", [6379]),
            (nodePorts, "valkey-node-0.valkey-headless.platform.svc:26379,valkey-node-1", "myprimary", "false", [26379, 6380, 6381]),
        })
        {
            foreach (var mode in new[] { "-web", "-worker" })
            {
                var container = objects.Container(mode);
                Assert.StartsWith(address, container.Env("VALKEY_ADDR")!["value"]!.GetValue<string>(), StringComparison.Ordinal);
                Assert.Equal(master, container.Env("VALKEY_SENTINEL_MASTER")!["value"]!.GetValue<string>());
                Assert.Equal(isCluster, container.Env("VALKEY_CLUSTER")!["value"]!.GetValue<string>());
                Assert.Equal("valkey-password", container.Env("VALKEY_PASSWORD")!["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>());
            }
            foreach (var policy in objects.OfKind("NetworkPolicy"))
            {
                // The Valkey rule is the one with the first address's port.
                var valkeyRule = policy["spec"]!["egress"]!.AsArray().Select(r => r!.AsObject()).Single(r => EgressPorts(r).Contains(ports[0]));
                Assert.Equal(ports, EgressPorts(valkeyRule));
            }
        }
    }

    [SkippableTheory]
    [InlineData("helm3", "valkey.cluster=true", "valkey.sentinelMaster and valkey.cluster exclude each other")]
    [InlineData("helm4", "valkey.bundled.enabled=true", "valkey.sentinelMaster and valkey.cluster describe an external Valkey")]
    [InlineData("helm3", "valkey.port=26379", "valkey.port (26379) cannot stand for the list of Valkey addresses")]
    public async Task Helm_refuses_Valkey_topologies_that_cannot_work(string helm, string overrides, string message)
    {
        var (code, output) = await new Helm(helm).TryTemplateAsync(ValueSets.Get("valkey-sentinel-values.yaml"), "--set", overrides);

        Assert.NotEqual(0, code);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task NetworkPolicies_allow_the_OTLP_endpoint_a_configurable_DNS_rule_and_IPv6_issuers(string helm)
    {
        var values = ValueSets.Required + """

            otel:
              endpoint: https://collector.observability:4318/v1
            networkPolicy:
              dns:
                to:
                  - ipBlock: {cidr: 169.254.20.10/32}
                ports:
                  - {protocol: UDP, port: 5353}
            """;

        var objects = await new Helm(helm).TemplateAsync(values);
        var plain = await new Helm(helm).TemplateAsync(ValueSets.Required);

        foreach (var policy in objects.OfKind("NetworkPolicy").Where(p => !Rendered.Name(p).EndsWith("valkey", StringComparison.Ordinal)))
        {
            Assert.Contains(4318L, EgressPorts(policy));
            Assert.Contains(5353L, EgressPorts(policy));
            Assert.DoesNotContain(53L, EgressPorts(policy));
            Assert.Contains("169.254.20.10/32", policy.ToJsonString(), StringComparison.Ordinal);
        }
        Assert.DoesNotContain(plain.OfKind("NetworkPolicy"), p => EgressPorts(p).Contains(4318L));
        var issuer = objects.Single("NetworkPolicy", "-web")["spec"]!["egress"]!.AsArray().Single(r => EgressPorts(r!.AsObject()).SequenceEqual([443L]))!;
        Assert.Equal(["0.0.0.0/0", "::/0"], issuer["to"]!.AsArray().Select(t => t!["ipBlock"]!["cidr"]!.GetValue<string>()));
    }

    [SkippableTheory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task The_status_route_is_in_the_Ingress_only_when_asked_for(string helm)
    {
        const string ingress = "web.ingress.enabled=true,web.ingress.host=rollouts.example.com";
        var chart = new Helm(helm);

        var without = (await chart.TemplateAsync(ValueSets.Required, "--set", ingress)).Single("Ingress", "-web");
        var with = (await chart.TemplateAsync(ValueSets.Required, "--set", ingress + ",web.ingress.statusRoute=true")).Single("Ingress", "-web");

        Assert.Equal(["/event"], Paths(without));
        Assert.Equal(["/event", "/events"], Paths(with));
    }

    [SkippableTheory]
    [InlineData("helm3", "1.30.0", true)]
    [InlineData("helm4", "1.34.0", true)]
    [InlineData("helm3", "1.29.0", false)]
    [InlineData("helm4", "1.29.0", false)]
    public async Task The_web_pods_sleep_before_they_stop_where_the_cluster_has_the_sleep_action(string helm, string kubeVersion, bool sleeps)
    {
        var objects = await new Helm(helm).TemplateAsync(ValueSets.Required, "--kube-version", kubeVersion);

        var web = objects.Container("-web");
        Assert.Equal(sleeps, web["lifecycle"]?["preStop"]?["sleep"]?["seconds"]?.GetValue<long>() == 10);
        Assert.Equal(45, objects.PodSpec("-web")["terminationGracePeriodSeconds"]!.GetValue<long>());
        Assert.Null(objects.Container("-worker")["lifecycle"]);
    }

    [SkippableTheory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task The_admission_guard_binds_a_policy_for_the_worker_service_account_and_needs_Kubernetes_1_30(string helm)
    {
        var chart = new Helm(helm);
        var values = ValueSets.Required + "\nworker:\n  admissionGuard:\n    enabled: true\n";

        var objects = await chart.TemplateAsync(values, "--kube-version", "1.30.0");
        var (code, output) = await chart.TryTemplateAsync(values, "--kube-version", "1.29.5");

        var policy = objects.Single("ValidatingAdmissionPolicy", "-worker-guard");
        var binding = objects.Single("ValidatingAdmissionPolicyBinding", "-worker-guard");
        Assert.Equal(Rendered.Name(policy), binding["spec"]!["policyName"]!.GetValue<string>());
        Assert.Equal(["Deny"], binding["spec"]!["validationActions"]!.AsArray().Select(a => a!.GetValue<string>()));
        var sa = objects.PodSpec("-worker")["serviceAccountName"]!.GetValue<string>();
        Assert.Equal($"request.userInfo.username == 'system:serviceaccount:{Helm.Namespace}:{sa}'", policy["spec"]!["matchConditions"]![0]!["expression"]!.GetValue<string>());
        Assert.Equal("Fail", policy["spec"]!["failurePolicy"]!.GetValue<string>());
        Assert.NotEqual(0, code);
        Assert.Contains("worker.admissionGuard.enabled needs Kubernetes 1.30 or later", output, StringComparison.Ordinal);
        Assert.Empty((await chart.TemplateAsync(ValueSets.Required)).OfKind("ValidatingAdmissionPolicy"));
    }

    [SkippableTheory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task The_bundled_Valkey_and_both_clients_take_one_password_from_a_Secret_never_from_a_command_line(string helm)
    {
        var chart = new Helm(helm);

        var generated = await chart.TemplateAsync(ValueSets.All["bundled Valkey with a password"]);
        var existing = await chart.TemplateAsync(ValueSets.All["bundled Valkey with a password"], "--set", "valkey.bundled.auth.existingSecret=my-valkey,valkey.bundled.auth.passwordKey=pw");

        var secret = generated.Single("Secret", "-valkey");
        Assert.Equal(32, Convert.FromBase64String(secret["data"]!["password"]!.GetValue<string>()).Length);
        foreach (var (objects, name, key) in new[] { (generated, Rendered.Name(secret), "password"), (existing, "my-valkey", "pw") })
        {
            foreach (var deployment in new[] { "-valkey", "-web", "-worker" })
            {
                var reference = objects.Container(deployment).Env("VALKEY_PASSWORD")!["valueFrom"]!["secretKeyRef"]!;
                Assert.Equal(name, reference["name"]!.GetValue<string>());
                Assert.Equal(key, reference["key"]!.GetValue<string>());
            }
            Assert.DoesNotContain("requirepass", objects.Container("-valkey").ToJsonString(), StringComparison.Ordinal);
            Assert.Equal("valkey/valkey:8.1.3-alpine", objects.Container("-valkey")["image"]!.GetValue<string>());
        }
        Assert.Empty(existing.OfKind("Secret"));
    }

    [SkippableTheory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task Overrides_of_names_and_an_image_digest_reach_the_objects(string helm)
    {
        var chart = new Helm(helm);

        var renamed = await chart.TemplateAsync(ValueSets.Required + "\nnameOverride: rollouts\n");
        var full = await chart.TemplateAsync(ValueSets.Required + "\nfullnameOverride: platform-rollouts\nimage:\n  digest: sha256:" + new string('a', 64) + "\n");

        Assert.Contains(renamed.OfKind("Deployment"), d => Rendered.Name(d) == "krt-rollouts-web");
        Assert.Equal("rollouts", renamed.Single("Deployment", "-web")["metadata"]!["labels"]!["app.kubernetes.io/name"]!.GetValue<string>());
        Assert.Contains(full.OfKind("Deployment"), d => Rendered.Name(d) == "platform-rollouts-worker");
        Assert.Equal("ghcr.io/kuberollouttrigger/kuberollouttrigger@sha256:" + new string('a', 64), full.Container("-web")["image"]!.GetValue<string>());
    }

    [SkippableTheory]
    [InlineData("helm3", "--set-json", "web.podAnnotations={\"example.com/scrape\":true}")]
    [InlineData("helm4", "--set-json", "web.ingress.annotations={\"nginx.ingress.kubernetes.io/proxy-read-timeout\":910}")]
    [InlineData("helm3", "--set-json", "worker.serviceAccount.annotations={\"example.com/id\":12}")]
    [InlineData("helm4", "--set", "worker.dedupTtl=5s")]
    [InlineData("helm3", "--set", "worker.coalesceWindow=2h")]
    [InlineData("helm4", "--set", "web.maxTokenAge=25h")]
    [InlineData("helm3", "--set", "delivery.stream.claimIdle=0s")]
    public async Task Helm_refuses_values_the_pods_would_crash_on(string helm, string flag, string overrides)
    {
        var (code, output) = await new Helm(helm).TryTemplateAsync(ValueSets.Required, flag, overrides);

        Assert.NotEqual(0, code);
        Assert.Contains("values don't meet the specifications of the schema", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_install_notes_follow_the_TLS_setting_and_point_to_this_projects_action()
    {
        var chart = new Helm("helm4");
        const string ingress = "web.ingress.enabled=true,web.ingress.host=rollouts.example.com";

        var tls = await chart.DryRunInstallAsync(ValueSets.Required, "--set", ingress);
        var plain = await chart.DryRunInstallAsync(ValueSets.Required, "--set", ingress + ",web.ingress.tls.enabled=false");
        var monitor = await chart.DryRunInstallAsync(ValueSets.Required, "--set", "metrics.serviceMonitor.enabled=true");

        Assert.True(tls.Code == 0, tls.Output);
        var notes = tls.Output[tls.Output.IndexOf("NOTES:", StringComparison.Ordinal)..];
        Assert.Contains("https://rollouts.example.com/event", notes, StringComparison.Ordinal);
        // The release workflow runs on the tag v<appVersion>, so the action exists at that tag; there is no moving v1 tag.
        var appVersion = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(Helm.ChartPath, "Chart.yaml")),
            "(?m)^appVersion: \"([^\"]+)\"$").Groups[1].Value;
        Assert.Contains($"- uses: kuberollouttrigger/kuberollouttrigger@v{appVersion}   # the release this chart came from", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("UnitVectorY-Labs", notes, StringComparison.Ordinal);
        Assert.Contains("http://rollouts.example.com/event", plain.Output, StringComparison.Ordinal);
        Assert.Contains("WARNING: the Ingress has no TLS", plain.Output, StringComparison.Ordinal);
        Assert.Contains("no ServiceMonitor was created", monitor.Output, StringComparison.Ordinal);
    }

    private static List<long> EgressPorts(JsonObject policyOrRule)
    {
        var rules = policyOrRule["spec"]?["egress"]?.AsArray().Select(r => r!.AsObject()) ?? [policyOrRule];
        return [.. rules.SelectMany(r => r["ports"]?.AsArray() ?? []).Select(p => p!["port"]!.GetValue<long>())];
    }

    private static List<string> Paths(JsonObject ingress) =>
        [.. ingress["spec"]!["rules"]![0]!["http"]!["paths"]!.AsArray().Select(p => p!["path"]!.GetValue<string>())];
}
