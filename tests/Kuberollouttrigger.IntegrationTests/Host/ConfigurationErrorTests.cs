using System.Net;
using System.Net.Sockets;
using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.IntegrationTests.Collections;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;
using Xunit.Abstractions;

namespace Kuberollouttrigger.IntegrationTests.Host;

/// <summary>
/// The executable with a bad setting: one line naming VAR / --flag, the value and what is allowed, exit code 1, no
/// stack trace and no .NET type names. And with good settings: a startup summary naming every setting the mode reads.
/// </summary>
[Collection(nameof(WebProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class ConfigurationErrorTests(SharedServers servers, ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> Web = new()
    {
        ["VALKEY_ADDR"] = "127.0.0.1:1",
        ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
        ["GITHUB_OIDC_AUDIENCE"] = "krt",
        ["GITHUB_ALLOWED_ORG"] = "acme",
    };

    [Theory]
    [InlineData("AUTH_FAILURES_PER_MINUTE", "ten", "AUTH_FAILURES_PER_MINUTE / --auth-failures-per-minute must be a whole number from 0 to 1000000, not 'ten'")]
    [InlineData("MAX_TOKEN_AGE", "1d", "MAX_TOKEN_AGE / --max-token-age must be a duration from 10s to 24h (such as 30s, 5m or 24h), not '1d'")]
    [InlineData("DELIVERY_MODE", "kafka", "DELIVERY_MODE / --delivery-mode must be pubsub or stream, not 'kafka'")]
    public async Task A_bad_web_setting_is_one_line_and_exit_code_1(string variable, string value, string line)
    {
        using var web = HostProcess.Start(["web", "--listen-addr", $"127.0.0.1:{FreePort.Next()}"], new Dictionary<string, string?>(Web) { [variable] = value });

        Assert.Equal(1, await web.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        AssertOneProblem(web.Output, line);
    }

    [Fact]
    public async Task An_empty_namespace_list_is_refused_instead_of_read_as_every_namespace()
    {
        using var worker = HostProcess.Start(["worker", "--health-addr", $"127.0.0.1:{FreePort.Next()}"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = "127.0.0.1:1",
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["ALLOWED_NAMESPACES"] = ",",
        });

        Assert.Equal(1, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        AssertOneProblem(worker.Output, "ALLOWED_NAMESPACES / --allowed-namespaces must be a comma-separated list without empty entries, not ','; leave it unset instead of empty");
    }

    [Fact]
    public async Task A_busy_listen_address_is_one_line_naming_the_setting()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        using var web = HostProcess.Start(["web", "--listen-addr", address], new Dictionary<string, string?>(Web));

        Assert.Equal(1, await web.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        AssertOneProblem(web.Output,
            $"WEB_LISTEN_ADDR / --listen-addr: cannot listen on '{address}': the address is already in use by another process; choose another address or stop that process");
    }

    [Fact]
    public async Task The_startup_summaries_name_every_setting_each_mode_reads()
    {
        var (redis, issuer) = (servers.Redis, servers.Issuer);
        await using var api = await FakeKubernetesApi.StartAsync();
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        var (webPort, workerPort) = (FreePort.Next(), FreePort.Next());
        using var web = HostProcess.Start(["web", "--listen-addr", $"127.0.0.1:{webPort}"], new Dictionary<string, string?>(Web)
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["GITHUB_OIDC_ISSUER"] = issuer.Issuer,
            ["VALKEY_PASSWORD"] = "not-in-the-log",
        });
        using var worker = HostProcess.Start(["worker", "--health-addr", $"127.0.0.1:{workerPort}"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["KUBECONFIG"] = kubeconfig,
            ["WORKLOAD_KINDS"] = "Deployment,sts",
        });
        try
        {
            await Wait.UntilAsync(() => web.Output.Contains("web mode:", StringComparison.Ordinal) || web.HasExited, TimeSpan.FromSeconds(60), "the web summary");
            await Wait.UntilAsync(() => worker.Output.Contains("worker mode:", StringComparison.Ordinal) || worker.HasExited, TimeSpan.FromSeconds(60), "the worker summary");
        }
        finally
        {
            web.Stop();
            worker.Stop();
            File.Delete(kubeconfig);
        }

        var webSummary = Assert.Single(LogLines.Parse(web.Output), l => l.Text("message").StartsWith("web mode:", StringComparison.Ordinal));
        var workerSummary = Assert.Single(LogLines.Parse(worker.Output), l => l.Text("message").StartsWith("worker mode:", StringComparison.Ordinal));
        output.WriteLine(webSummary.Text("message"));
        output.WriteLine(workerSummary.Text("message"));
        AssertNamesEverySetting(webSummary, IngressSettings.All);
        AssertNamesEverySetting(workerSummary, WorkerSettings.All);
        Assert.Equal("set", webSummary.Text("valkey_password"));
        Assert.DoesNotContain("not-in-the-log", web.Output, StringComparison.Ordinal);
        Assert.Equal("10m", webSummary.Text("max_token_age"));
        Assert.Equal(("24h", "1h", "10m", "1m"), (workerSummary.Text("dedup_ttl"), workerSummary.Text("event_status_ttl"), workerSummary.Text("rollout_timeout"),
            workerSummary.Text("stream_claim_idle")));
        Assert.Equal("deployments,statefulsets", workerSummary.Text("workload_kinds"));
    }

    private static void AssertNamesEverySetting(System.Text.Json.Nodes.JsonObject summary, IReadOnlyList<Setting> settings)
    {
        foreach (var setting in settings)
        {
            Assert.True(summary.ContainsKey(setting.EnvVar.ToLowerInvariant()), $"the summary has no field {setting.EnvVar.ToLowerInvariant()}");
            Assert.Contains($"{setting.EnvVar}=", summary.Text("message"), StringComparison.Ordinal);
        }
    }

    /// <summary>What the process wrote besides its JSON log lines is exactly the problem, in two lines; nothing anywhere is a stack trace.</summary>
    private void AssertOneProblem(string text, string line)
    {
        output.WriteLine(text);
        var plain = text.ReplaceLineEndings("\n").Split('\n').Where(l => l.Length > 0 && !l.StartsWith('{')).ToList();
        Assert.Equal([plain[0], "  " + line], plain);
        Assert.EndsWith(": invalid configuration:", plain[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", string.Join('\n', plain), StringComparison.Ordinal);
        Assert.DoesNotContain("Options", string.Join('\n', plain), StringComparison.Ordinal);
    }
}
