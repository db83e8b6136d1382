using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Processes;

namespace Kuberollouttrigger.IntegrationTests.Host;

/// <summary>A broken POLICY_FILE stops either mode at start, naming the setting, the line and the rule.</summary>
[Collection(nameof(WebProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class PolicyFileStartTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"krt-bad-policy-{Guid.NewGuid():N}.yaml");

    public PolicyFileStartTests() =>
        File.WriteAllText(_file, "rules:\n  - repositories: acme/app\n    images: \"{prefix}{repository_name}\"\n    ref: refs/heads/main\n");

    public void Dispose() => File.Delete(_file);

    [Theory]
    [InlineData("web")]
    [InlineData("worker")]
    public async Task Invalid_policy_file_fails_at_start_naming_the_line_and_rule(string mode)
    {
        await using var api = await FakeKubernetesApi.StartAsync();
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        using var process = HostProcess.Start([mode, "--policy-file", _file, mode == "worker" ? "--health-addr" : "--listen-addr", $"127.0.0.1:{FreePort.Next()}"],
            new Dictionary<string, string?>
            {
                ["VALKEY_ADDR"] = "127.0.0.1:1",
                ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
                ["GITHUB_OIDC_AUDIENCE"] = "a",
                ["GITHUB_ALLOWED_ORG"] = "acme",
                ["KUBECONFIG"] = kubeconfig,
            });

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        File.Delete(kubeconfig);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("POLICY_FILE", process.Output, StringComparison.Ordinal);
        Assert.Contains("line 4: rule 1: unknown key 'ref'", process.Output, StringComparison.Ordinal);
    }
}
