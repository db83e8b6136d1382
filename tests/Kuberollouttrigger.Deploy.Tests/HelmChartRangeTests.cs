using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.Ingress.Abuse;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Status;
using Kuberollouttrigger.RolloutWorker.Coalescing;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.RolloutWorker.Messaging;
using Kuberollouttrigger.RolloutWorker.Rollouts;
using Kuberollouttrigger.Testing.Yaml;
using Kuberollouttrigger.Transport.Receiving;
using Kuberollouttrigger.Transport.Streams;

namespace Kuberollouttrigger.Deploy.Tests;

/// <summary>
/// The schema's limits are the programs' own: each duration and number the chart passes on is refused by helm exactly
/// when the program's [Range] would refuse it at start, so a value the schema took never crash-loops a pod.
/// </summary>
public sealed partial class HelmChartTests
{
    /// <summary>Each chart value and the options property its setting binds to.</summary>
    private static readonly Dictionary<string, PropertyInfo> Bound = new(StringComparer.Ordinal)
    {
        ["worker.dedupTtl"] = Property<WorkerOptions>(nameof(WorkerOptions.DedupTtl)),
        ["worker.eventStatusTtl"] = Property<StatusOptions>(nameof(StatusOptions.Ttl)),
        ["worker.rolloutTimeout"] = Property<ProgressOptions>(nameof(ProgressOptions.RolloutTimeout)),
        ["worker.coalesceWindow"] = Property<CoalescingOptions>(nameof(CoalescingOptions.Window)),
        ["web.maxTokenAge"] = Property<GitHubOidcOptions>(nameof(GitHubOidcOptions.MaxTokenAge)),
        ["delivery.stream.claimIdle"] = Property<StreamDeliveryOptions>(nameof(StreamDeliveryOptions.ClaimIdle)),
        ["worker.concurrency"] = Property<ValkeyReceiveOptions>(nameof(ValkeyReceiveOptions.Concurrency)),
        ["worker.maxParallelRestarts"] = Property<RolloutOptions>(nameof(RolloutOptions.MaxParallelRestarts)),
        ["delivery.stream.maxDeliveries"] = Property<StreamDeliveryOptions>(nameof(StreamDeliveryOptions.MaxDeliveries)),
        ["delivery.stream.maxLength"] = Property<StreamDeliveryOptions>(nameof(StreamDeliveryOptions.MaxLength)),
        ["web.authFailuresPerMinute"] = Property<AbuseOptions>(nameof(AbuseOptions.AuthFailuresPerMinute)),
        ["web.eventsPerMinutePerRepository"] = Property<AbuseOptions>(nameof(AbuseOptions.EventsPerMinutePerRepository)),
        ["web.maxWaits"] = Property<EventWaitOptions>(nameof(EventWaitOptions.MaxWaits)),
        ["web.maxWaitsPerRepository"] = Property<EventWaitOptions>(nameof(EventWaitOptions.MaxWaitsPerRepository)),
    };

    public static TheoryData<string> DurationValues() => [.. Bound.Where(b => b.Value.PropertyType == typeof(TimeSpan)).Select(b => b.Key)];

    public static TheoryData<string> NumberValues() => [.. Bound.Where(b => b.Value.PropertyType != typeof(TimeSpan)).Select(b => b.Key)];

    [Theory]
    [MemberData(nameof(DurationValues))]
    public void Duration_pattern_is_the_programs_range(string value)
    {
        var (min, max) = TimeRange(value);

        Assert.Equal(DurationPattern.For(min, max), SchemaNode(value)["pattern"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(DurationValues))]
    public void Durations_are_accepted_only_when_the_program_takes_them(string value)
    {
        var (min, max) = TimeRange(value);
        var candidates = new List<string> { "0", "0s", "1h30m", "23h59m59s", "59m59s", "1m1s", "1.5h", "00:10:00", "10 minutes", "-5s", "5d", "", "01s", "1h60m", "24h0m0s" };
        foreach (var (unit, span) in new[] { ("ms", TimeSpan.FromMilliseconds(1)), ("s", TimeSpan.FromSeconds(1)), ("m", TimeSpan.FromMinutes(1)), ("h", TimeSpan.FromHours(1)) })
        {
            foreach (var edge in new[] { min, max })
            {
                var n = (long)Math.Ceiling(edge / span);
                candidates.AddRange(new[] { n - 1, n, n + 1, (long)(edge / span) }.Where(x => x >= 0).Select(x => $"{x}{unit}"));
            }
        }

        foreach (var candidate in candidates.Distinct())
        {
            var accepted = SchemaCheck.Errors(Schema, WithValue(value, candidate)).Count == 0;
            var parsed = Durations.Parse(candidate);
            var takes = parsed is { } d && d >= min && d <= max;
            if (accepted)
                Assert.True(takes, $"{value}: the schema accepts {candidate}, which the program refuses ({min}..{max})");
            if (System.Text.RegularExpressions.Regex.IsMatch(candidate, "^(0|[1-9][0-9]*)(ms|s|m|h)$"))
                Assert.True(accepted == takes, $"{value}: {candidate} is {(takes ? "in" : "out of")} range but the schema {(accepted ? "accepts" : "refuses")} it");
        }
    }

    [Theory]
    [MemberData(nameof(NumberValues))]
    public void Number_limits_are_the_programs_range(string value)
    {
        var range = Bound[value].GetCustomAttribute<RangeAttribute>()!;
        var node = SchemaNode(value);

        Assert.Equal(Convert.ToInt64(range.Minimum, CultureInfo.InvariantCulture), node["minimum"]!.GetValue<long>());
        Assert.Equal(Convert.ToInt64(range.Maximum, CultureInfo.InvariantCulture), node["maximum"]!.GetValue<long>());
        Assert.Equal("integer", node["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("global:\n  imageRegistry: registry.example.com\n  anything: {nested: [1, 2]}")]
    [InlineData("nameOverride: rollouts")]
    [InlineData("fullnameOverride: platform-rollouts")]
    [InlineData("web:\n  resources:\n    limits:\n      ephemeral-storage: 64Mi")]
    [InlineData("worker:\n  resources:\n    requests:\n      ephemeral-storage: 16Mi")]
    [InlineData("web:\n  podAnnotations:\n    example.com/scrape: \"true\"")]
    [InlineData("worker:\n  serviceAccount:\n    annotations:\n      eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/krt")]
    [InlineData("valkey:\n  port: 6379")]
    public void Schema_accepts_what_an_umbrella_chart_or_a_platform_team_sets(string overrides)
    {
        var values = Merge(Values(), YamlJson.Parse(overrides));

        Assert.Empty(SchemaCheck.Errors(Schema, values));
    }

    [Theory]
    [InlineData("web:\n  podAnnotations:\n    example.com/scrape: true")]
    [InlineData("worker:\n  podAnnotations:\n    example.com/weight: 3")]
    [InlineData("web:\n  ingress:\n    annotations:\n      nginx.ingress.kubernetes.io/proxy-read-timeout: 910")]
    [InlineData("worker:\n  serviceAccount:\n    annotations:\n      example.com/id: 12")]
    [InlineData("web:\n  podLabels:\n    tier: 1")]
    [InlineData("web:\n  resources:\n    limits:\n      gpu: 1")]
    [InlineData("nameOverride: Rollouts")]
    [InlineData("image:\n  digest: latest")]
    public void Schema_refuses_annotation_values_that_are_not_strings_and_other_platform_mistakes(string overrides)
    {
        var values = Merge(Values(), YamlJson.Parse(overrides));

        Assert.NotEmpty(SchemaCheck.Errors(Schema, values));
    }

    private static (TimeSpan Min, TimeSpan Max) TimeRange(string value)
    {
        var range = Bound[value].GetCustomAttribute<RangeAttribute>()!;
        return (TimeSpan.Parse((string)range.Minimum, CultureInfo.InvariantCulture), TimeSpan.Parse((string)range.Maximum, CultureInfo.InvariantCulture));
    }

    private static JsonNode SchemaNode(string value)
    {
        JsonNode node = JsonNode.Parse(File.ReadAllText(Schema))!;
        foreach (var part in value.Split('.'))
            node = node["properties"]![part]!;
        return node;
    }

    private static JsonNode? WithValue(string path, string value)
    {
        var parts = path.Split('.');
        var patch = new JsonObject();
        var current = patch;
        foreach (var part in parts[..^1])
        {
            var next = new JsonObject();
            current[part] = next;
            current = next;
        }
        current[parts[^1]] = value;
        return Merge(Values(), patch);
    }

    private static PropertyInfo Property<T>(string name) => typeof(T).GetProperty(name)!;
}
