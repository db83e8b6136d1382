using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Configuration;

namespace Kuberollouttrigger.UnitTests.Settings;

public sealed class WorkloadKindsSettingsTests
{
    private static readonly Dictionary<string, string> Required = new()
    {
        ["VALKEY_ADDR"] = "valkey:6379",
        ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
    };

    [Fact]
    public void Defaults_are_deployments_only_and_no_events()
    {
        var result = SettingsReader.Read(WorkerSettings.All, [], Required.GetValueOrDefault);

        Assert.True(result.Succeeded);
        Assert.Equal("deployments", result.Values["Kubernetes:WorkloadKinds"]);
        Assert.Equal("false", result.Values["Kubernetes:EmitEvents"]);
        Assert.Equal([WorkloadKind.Deployment], new ClusterOptions().Kinds);
        Assert.False(new ClusterOptions().EmitEvents);
    }

    [Fact]
    public void Environment_variables_set_kinds_and_events_and_flags_win()
    {
        var environment = new Dictionary<string, string>(Required) { ["WORKLOAD_KINDS"] = "statefulsets", ["EMIT_EVENTS"] = "true" };

        var fromEnvironment = SettingsReader.Read(WorkerSettings.All, [], environment.GetValueOrDefault);
        var fromFlags = SettingsReader.Read(WorkerSettings.All, ["--workload-kinds", "daemonsets,deployments", "--emit-events=false"], environment.GetValueOrDefault);

        Assert.Equal("statefulsets", fromEnvironment.Values["Kubernetes:WorkloadKinds"]);
        Assert.Equal("true", fromEnvironment.Values["Kubernetes:EmitEvents"]);
        Assert.Equal("daemonsets,deployments", fromFlags.Values["Kubernetes:WorkloadKinds"]);
        Assert.Equal("false", fromFlags.Values["Kubernetes:EmitEvents"]);
    }

    [Fact]
    public void EMIT_EVENTS_must_be_a_boolean()
    {
        var environment = new Dictionary<string, string>(Required) { ["EMIT_EVENTS"] = "sometimes" };

        var result = SettingsReader.Read(WorkerSettings.All, [], environment.GetValueOrDefault);

        Assert.Contains("EMIT_EVENTS / --emit-events must be true or false, not 'sometimes'", result.Errors);
    }

    [Theory]
    [InlineData("deployments", "Deployment")]
    [InlineData("statefulsets", "StatefulSet")]
    [InlineData(" DaemonSets ", "DaemonSet")]
    [InlineData("daemonsets,deployments,statefulsets,deployments", "Deployment,StatefulSet,DaemonSet")]
    [InlineData("statefulsets,,", "StatefulSet")]
    [InlineData("Deployment", "Deployment")]
    [InlineData("sts,ds", "StatefulSet,DaemonSet")]
    [InlineData("deploy,StatefulSet,daemonset", "Deployment,StatefulSet,DaemonSet")]
    public void Kinds_parse_case_insensitively_without_duplicates_in_a_fixed_order(string value, string expected)
    {
        var kinds = WorkloadKind.ParseList(value, out var unknown);

        Assert.Empty(unknown);
        Assert.Equal(expected, string.Join(',', kinds.Select(k => k.Kind)));
        Assert.Equal(expected.Split(',').Length, new ClusterOptions { WorkloadKinds = value }.Kinds.Count);
    }

    [Theory]
    [InlineData("deployments,cronjobs", "'cronjobs'")]
    [InlineData("deploys", "'deploys'")]
    [InlineData("jobs,replicasets", "'jobs', 'replicasets'")]
    public void Unknown_kinds_fail_validation_naming_them_and_the_setting(string value, string named)
    {
        var result = new ClusterOptionsValidator().Validate(null, new ClusterOptions { WorkloadKinds = value });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("WORKLOAD_KINDS / --workload-kinds: unknown workload kind(s) " + named, failure, StringComparison.Ordinal);
        Assert.EndsWith("use a comma-separated list of deployments, statefulsets, daemonsets (or Deployment, StatefulSet, DaemonSet, deploy, sts, ds)", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    public void An_empty_kind_list_fails_validation(string value)
    {
        var result = new ClusterOptionsValidator().Validate(null, new ClusterOptions { WorkloadKinds = value });

        Assert.Equal("WORKLOAD_KINDS / --workload-kinds names no workload kind; use a comma-separated list of deployments, statefulsets, daemonsets (or Deployment, StatefulSet, DaemonSet, deploy, sts, ds)", Assert.Single(result.Failures!));
    }

    [Fact]
    public void Every_kind_is_accepted_together_with_valid_namespaces()
    {
        var result = new ClusterOptionsValidator().Validate(null, new ClusterOptions { WorkloadKinds = "deployments,statefulsets,daemonsets", AllowedNamespaces = "shop,blog" });

        Assert.True(result.Succeeded);
    }
}
