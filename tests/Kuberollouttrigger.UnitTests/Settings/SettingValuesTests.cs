using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.RolloutWorker.Configuration;

namespace Kuberollouttrigger.UnitTests.Settings;

/// <summary>Every bad value is one line naming VAR / --flag, the value and what is allowed, in the docs' units.</summary>
public sealed class SettingValuesTests
{
    private static readonly Dictionary<string, string> Web = new()
    {
        ["VALKEY_ADDR"] = "valkey:6379",
        ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
        ["GITHUB_OIDC_AUDIENCE"] = "krt",
        ["GITHUB_ALLOWED_ORG"] = "acme",
    };

    private static readonly Dictionary<string, string> Worker = new()
    {
        ["VALKEY_ADDR"] = "valkey:6379",
        ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
    };

    [Theory]
    [InlineData("AUTH_FAILURES_PER_MINUTE", "ten", "AUTH_FAILURES_PER_MINUTE / --auth-failures-per-minute must be a whole number from 0 to 1000000, not 'ten'")]
    [InlineData("AUTH_FAILURES_PER_MINUTE", "-1", "AUTH_FAILURES_PER_MINUTE / --auth-failures-per-minute must be a whole number from 0 to 1000000, not '-1'")]
    [InlineData("EVENTS_PER_MINUTE_PER_REPOSITORY", "1e3", "EVENTS_PER_MINUTE_PER_REPOSITORY / --events-per-minute-per-repository must be a whole number from 0 to 1000000, not '1e3'")]
    [InlineData("MAX_TOKEN_AGE", "5s", "MAX_TOKEN_AGE / --max-token-age must be a duration from 10s to 24h (such as 30s, 5m or 24h), not '5s'")]
    [InlineData("MAX_TOKEN_AGE", "2d", "MAX_TOKEN_AGE / --max-token-age must be a duration from 10s to 24h (such as 30s, 5m or 24h), not '2d'")]
    [InlineData("DELIVERY_MODE", "queue", "DELIVERY_MODE / --delivery-mode must be pubsub or stream, not 'queue'")]
    [InlineData("LOG_FORMAT", "xml", "LOG_FORMAT / --log-format must be json or text, not 'xml'")]
    [InlineData("TRUSTED_PROXIES", "10.0.0.0/8,", "TRUSTED_PROXIES / --trusted-proxies must be a comma-separated list without empty entries, not '10.0.0.0/8,'; leave it unset instead of empty")]
    public void A_bad_web_value_is_one_line_naming_the_setting_the_value_and_the_range(string variable, string value, string expected)
    {
        var environment = new Dictionary<string, string>(Web) { [variable] = value };

        var result = SettingsReader.Read(IngressSettings.All, [], environment.GetValueOrDefault);

        Assert.Equal(expected, Assert.Single(result.Errors));
    }

    [Theory]
    [InlineData("ALLOWED_NAMESPACES", ",", "ALLOWED_NAMESPACES / --allowed-namespaces must be a comma-separated list without empty entries, not ','; leave it unset instead of empty")]
    [InlineData("ALLOWED_NAMESPACES", "shop,,blog", "ALLOWED_NAMESPACES / --allowed-namespaces must be a comma-separated list without empty entries, not 'shop,,blog'; leave it unset instead of empty")]
    [InlineData("DEDUP_TTL", "31d", "DEDUP_TTL / --dedup-ttl must be a duration from 10s to 720h (such as 30s, 5m or 24h), not '31d'")]
    [InlineData("EVENT_STATUS_TTL", "169h", "EVENT_STATUS_TTL / --event-status-ttl must be a duration from 10s to 168h (such as 30s, 5m or 24h), not '169h'")]
    [InlineData("ROLLOUT_TIMEOUT", "0s", "ROLLOUT_TIMEOUT / --rollout-timeout must be a duration from 1s to 24h (such as 30s, 5m or 24h), not '0s'")]
    [InlineData("COALESCE_WINDOW", "2h", "COALESCE_WINDOW / --coalesce-window must be a duration from 0s to 1h (such as 30s, 5m or 24h), not '2h'")]
    [InlineData("MAX_PARALLEL_RESTARTS", "65", "MAX_PARALLEL_RESTARTS / --max-parallel-restarts must be a whole number from 1 to 64, not '65'")]
    [InlineData("WORKER_CONCURRENCY", "four", "WORKER_CONCURRENCY / --worker-concurrency must be a whole number from 1 to 256, not 'four'")]
    [InlineData("STREAM_MAX_DELIVERIES", "0", "STREAM_MAX_DELIVERIES / --stream-max-deliveries must be a whole number from 1 to 1000, not '0'")]
    [InlineData("STREAM_CLAIM_IDLE", "2h", "STREAM_CLAIM_IDLE / --stream-claim-idle must be a duration from 1s to 1h (such as 30s, 5m or 24h), not '2h'")]
    [InlineData("WORKLOAD_KINDS", "deployments,", "WORKLOAD_KINDS / --workload-kinds must be a comma-separated list without empty entries, not 'deployments,'; leave it unset instead of empty")]
    public void A_bad_worker_value_is_one_line_naming_the_setting_the_value_and_the_range(string variable, string value, string expected)
    {
        var environment = new Dictionary<string, string>(Worker) { [variable] = value };

        var result = SettingsReader.Read(WorkerSettings.All, [], environment.GetValueOrDefault);

        Assert.Equal(expected, Assert.Single(result.Errors));
    }

    [Theory]
    [InlineData("MAX_TOKEN_AGE", "10s", "00:00:10")]
    [InlineData("MAX_TOKEN_AGE", "24h", "1.00:00:00")]
    [InlineData("AUTH_FAILURES_PER_MINUTE", "0", "0")]
    [InlineData("DELIVERY_MODE", "Stream", "Stream")]
    public void Values_at_the_edges_of_the_range_are_accepted(string variable, string value, string bound)
    {
        var environment = new Dictionary<string, string>(Web) { [variable] = value };

        var result = SettingsReader.Read(IngressSettings.All, [], environment.GetValueOrDefault);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(bound, result.Values[IngressSettings.All.Single(s => s.EnvVar == variable).ConfigKey]);
    }

    [Fact]
    public void A_secret_value_is_never_repeated_in_its_error()
    {
        var setting = new Setting("X_SECRET", "x-secret", "X:Secret", "a secret", Secret: true, IsInteger: true, Range: new("0", "1"));

        SettingValues.Normalise(setting, "hunter2", out var error);

        Assert.Equal("X_SECRET / --x-secret must be a whole number from 0 to 1, not '***'", error);
    }

    [Fact]
    public void Usage_shows_every_range_and_allowed_word()
    {
        var usage = SettingsReader.Usage("worker", WorkerSettings.All);

        Assert.Contains("(default 24h; 10s to 720h)", usage, StringComparison.Ordinal);
        Assert.Contains("(default pubsub; pubsub or stream)", usage, StringComparison.Ordinal);
        Assert.Contains("(default 8; 1 to 64)", usage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("24h")]
    [InlineData("1h30m")]
    [InlineData("10m")]
    [InlineData("30s")]
    [InlineData("500ms")]
    [InlineData("0s")]
    [InlineData("720h")]
    public void Durations_are_written_in_the_units_they_are_read_in(string text)
    {
        Assert.Equal(text, Durations.Format(Durations.Parse(text)!.Value));
    }
}
