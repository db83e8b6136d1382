using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Kuberollouttrigger.Common.Logging;
using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.Ingress;
using Kuberollouttrigger.Ingress.Abuse;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.Ingress.Status;
using Kuberollouttrigger.RolloutWorker;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Coalescing;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.RolloutWorker.Messaging;
using Kuberollouttrigger.RolloutWorker.Rollouts;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Receiving;
using Kuberollouttrigger.Transport.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.UnitTests.Settings;

/// <summary>
/// Every setting a mode declares reaches a property of a validated options class through the mode's real composition:
/// a value set by its environment variable is the value the options hold. A setting nothing binds fails here.
/// </summary>
public sealed class SettingsBindingTests : IDisposable
{
    /// <summary>The options class bound from each configuration section.</summary>
    private static readonly Dictionary<string, Type> OptionsBySection = new(StringComparer.OrdinalIgnoreCase)
    {
        [LoggingOptions.Section] = typeof(LoggingOptions),
        [ValkeyOptions.Section] = typeof(ValkeyOptions),
        [StreamDeliveryOptions.Section] = typeof(StreamDeliveryOptions),
        [PolicyOptions.Section] = typeof(PolicyOptions),
        [IngressOptions.Section] = typeof(IngressOptions),
        [GitHubOidcOptions.Section] = typeof(GitHubOidcOptions),
        [AbuseOptions.Section] = typeof(AbuseOptions),
        [EventWaitOptions.Section] = typeof(EventWaitOptions),
        [WorkerOptions.Section] = typeof(WorkerOptions),
        [ClusterOptions.Section] = typeof(ClusterOptions),
        [RolloutOptions.Section] = typeof(RolloutOptions),
        ["Receive"] = typeof(ValkeyReceiveOptions),
        [StatusOptions.Section] = typeof(StatusOptions),
        [ProgressOptions.Section] = typeof(ProgressOptions),
        [CoalescingOptions.Section] = typeof(CoalescingOptions),
    };

    private readonly string _policyFile = Path.GetTempFileName();

    public SettingsBindingTests() =>
        File.WriteAllText(_policyFile, "version: 1\nrules:\n  - repositories: acme/*\n    images: \"ghcr.io/acme/**\"\n");

    /// <summary>A valid value for every setting, different from its default so that only a real binding can carry it.</summary>
    private Dictionary<string, string> Samples() => new()
    {
        ["LOG_LEVEL"] = "debug",
        ["LOG_FORMAT"] = "text",
        ["VALKEY_ADDR"] = "valkey.test:6390,valkey-2.test:6391",
        ["VALKEY_SENTINEL_MASTER"] = "primary-x",
        ["VALKEY_CLUSTER"] = "true",
        ["VALKEY_CHANNEL"] = "events-x",
        ["VALKEY_USERNAME"] = "user-x",
        ["VALKEY_PASSWORD"] = "password-x",
        ["VALKEY_TLS_ENABLED"] = "true",
        ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
        ["WEB_LISTEN_ADDR"] = "127.0.0.1:18080",
        ["GITHUB_OIDC_AUDIENCE"] = "audience-x",
        ["GITHUB_ALLOWED_ORG"] = "org-x",
        ["GITHUB_OIDC_ISSUER"] = "https://issuer.example.test",
        ["DEV_MODE"] = "true",
        ["POLICY_FILE"] = _policyFile,
        ["MAX_TOKEN_AGE"] = "7m",
        ["ALLOW_NO_SUBSCRIBER"] = "true",
        ["AUTH_FAILURES_PER_MINUTE"] = "7",
        ["EVENTS_PER_MINUTE_PER_REPOSITORY"] = "9",
        ["TRUSTED_PROXIES"] = "10.0.0.0/8",
        ["NO_MATCH_IS_SUCCESS"] = "true",
        ["MAX_WAITS"] = "77",
        ["MAX_WAITS_PER_REPOSITORY"] = "7",
        ["DELIVERY_MODE"] = "stream",
        ["STREAM_GROUP"] = "group-x",
        ["STREAM_MAX_LEN"] = "123",
        ["STREAM_CLAIM_IDLE"] = "42s",
        ["STREAM_MAX_DELIVERIES"] = "3",
        ["KUBECONFIG"] = "/nonexistent/kubeconfig-x",
        ["ALLOWED_NAMESPACES"] = "team-a,team-b",
        ["WORKLOAD_KINDS"] = "deployments,statefulsets",
        ["DRY_RUN"] = "true",
        ["EMIT_EVENTS"] = "true",
        ["MAX_PARALLEL_RESTARTS"] = "3",
        ["WORKER_HEALTH_ADDR"] = "127.0.0.1:18081",
        ["WORKER_CONCURRENCY"] = "2",
        ["DEDUP_TTL"] = "2h",
        ["EVENT_STATUS_TTL"] = "3h",
        ["ROLLOUT_TIMEOUT"] = "4m",
        ["COALESCE_WINDOW"] = "5s",
    };

    /// <summary>Each mode twice, once without each of two settings that exclude each other (Sentinel and Cluster).</summary>
    public static TheoryData<string, string> Modes => new()
    {
        { "web", "VALKEY_SENTINEL_MASTER" },
        { "web", "VALKEY_CLUSTER" },
        { "worker", "VALKEY_SENTINEL_MASTER" },
        { "worker", "VALKEY_CLUSTER" },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Every_declared_setting_binds_to_an_options_property(string mode, string leftOut)
    {
        var (settings, build) = mode == "web"
            ? (IngressSettings.All, (Func<IReadOnlyDictionary<string, string?>, WebApplication>)IngressApplication.Build)
            : (WorkerSettings.All, WorkerApplication.Build);
        var samples = Samples();
        Assert.Empty(settings.Where(s => !samples.ContainsKey(s.EnvVar)).Select(s => s.EnvVar));
        samples.Remove(leftOut);
        var read = SettingsReader.Read(settings, [], samples.GetValueOrDefault);
        Assert.True(read.Succeeded, string.Join("; ", read.Errors));

        await using var app = build(read.Values);

        foreach (var setting in settings.Where(s => s.EnvVar != leftOut))
        {
            var (options, property) = BoundProperty(setting);
            var value = property.GetValue(Value(app.Services, options));
            var expected = TypeDescriptor.GetConverter(property.PropertyType).ConvertFromInvariantString(read.Values[setting.ConfigKey]!);
            Assert.True(Equals(expected, value),
                $"{setting.EnvVar}: {options.Name}.{property.Name} is '{Convert.ToString(value, CultureInfo.InvariantCulture)}', not the '{samples[setting.EnvVar]}' set");
        }
    }

    [Fact]
    public void Every_declared_setting_is_read_by_a_mode()
    {
        var declared = new[] { typeof(CommonSettings), typeof(IngressSettings), typeof(WorkerSettings) }
            .Select(t => t.Assembly).Distinct()
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(Setting))
            .Select(f => (Setting)f.GetValue(null)!);
        var read = IngressSettings.All.Concat(WorkerSettings.All).ToHashSet();

        Assert.Empty(declared.Where(s => !read.Contains(s)).Select(s => s.EnvVar));
    }

    /// <summary>
    /// A whole number, duration or boolean option is only ever bound from a value the reader has checked, so a bad value
    /// is one line naming the setting and never the binder's exception (which crashed the process with exit 134).
    /// </summary>
    [Fact]
    public void Every_typed_option_is_read_as_its_type()
    {
        foreach (var setting in IngressSettings.All.Concat(WorkerSettings.All).Distinct())
        {
            var type = Nullable.GetUnderlyingType(BoundProperty(setting).Property.PropertyType) ?? BoundProperty(setting).Property.PropertyType;
            if (type == typeof(int) || type == typeof(long))
                Assert.True(setting.IsInteger && setting.Range is not null, $"{setting.EnvVar} binds a whole number: declare IsInteger and its Range");
            else if (type == typeof(TimeSpan))
                Assert.True(setting.IsDuration, $"{setting.EnvVar} binds a duration: declare IsDuration");
            else if (type == typeof(bool))
                Assert.True(setting.IsBoolean, $"{setting.EnvVar} binds a boolean: declare IsBoolean");
        }
    }

    /// <summary>A setting's range (what users are told) and its options property's [Range] (what the options enforce) are the same.</summary>
    [Fact]
    public void Declared_ranges_agree_with_the_options_ranges()
    {
        foreach (var setting in IngressSettings.All.Concat(WorkerSettings.All).Distinct().Where(s => s.Range is not null))
        {
            var property = BoundProperty(setting).Property;
            if (property.GetCustomAttribute<System.ComponentModel.DataAnnotations.RangeAttribute>() is not { } range)
                continue;
            object Parse(string text) => setting.IsDuration ? Durations.Parse(text)!.Value : long.Parse(text, CultureInfo.InvariantCulture);
            object Bound(object value) => setting.IsDuration ? TimeSpan.Parse((string)value, CultureInfo.InvariantCulture) : Convert.ToInt64(value, CultureInfo.InvariantCulture);
            Assert.True(Equals(Parse(setting.Range!.Min), Bound(range.Minimum)), $"{setting.EnvVar}: minimum {setting.Range.Min} vs {range.Minimum}");
            Assert.True(Equals(Parse(setting.Range.Max), Bound(range.Maximum)), $"{setting.EnvVar}: maximum {setting.Range.Max} vs {range.Maximum}");
        }
    }

    public void Dispose() => File.Delete(_policyFile);

    private static (Type Options, PropertyInfo Property) BoundProperty(Setting setting)
    {
        var parts = setting.ConfigKey.Split(':');
        Assert.True(parts.Length == 2, $"{setting.EnvVar}: configuration key '{setting.ConfigKey}' is not Section:Property");
        Assert.True(OptionsBySection.TryGetValue(parts[0], out var options), $"{setting.EnvVar}: no options class is bound from section '{parts[0]}'");
        var property = options.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        Assert.True(property is { CanWrite: true }, $"{setting.EnvVar}: {options.Name} has no settable property '{parts[1]}'");
        return (options, property!);
    }

    /// <summary>The validated value of <c>IOptions&lt;T&gt;</c> for <paramref name="options"/>, as the running mode would see it.</summary>
    private static object Value(IServiceProvider services, Type options)
    {
        var accessor = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(options));
        return accessor.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(accessor)!;
    }
}
