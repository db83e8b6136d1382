using System.Text.RegularExpressions;
using Kuberollouttrigger.IntegrationTests.Collections;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Xunit.Abstractions;

namespace Kuberollouttrigger.IntegrationTests.Action;

/// <summary>
/// docs/github-actions.md's copy-paste workflows work as written: the curl step's commands, taken from the doc, run
/// against the published web mode with a runner's token request variables; the action step pins a release whose
/// inputs are the ones it sets.
/// </summary>
[Collection(nameof(ScenarioProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed partial class DocumentedWorkflowTests(SharedServers servers, ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_documented_curl_step_publishes_the_event_and_a_refusal_fails_the_step_once_with_its_detail()
    {
        var step = CurlStep();
        Assert.Equal("bash", step.Shell);
        var channel = servers.NewChannel("documented-curl");
        var port = FreePort.Next();
        using var web = HostProcess.Start(["web", "--listen-addr", $"127.0.0.1:{port}"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = servers.Redis.Address,
            ["VALKEY_CHANNEL"] = channel,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["GITHUB_OIDC_AUDIENCE"] = OidcIssuer.DefaultAudience,
            ["GITHUB_ALLOWED_ORG"] = "acme",
            ["GITHUB_OIDC_ISSUER"] = servers.Issuer.Issuer,
        });
        await using var recorder = await ChannelRecorder.StartAsync(servers.Redis.Address, channel);
        await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/readyz"), web);
        var url = $"http://127.0.0.1:{port}/event";

        await using (var tokens = await TokenRequestEndpoint.StartAsync(audience => servers.Issuer.CreateToken(audience: audience)))
        {
            var (exit, log) = await RunAsync(step, tokens, url);
            Assert.Equal(0, exit);
            Assert.Equal([OidcIssuer.DefaultAudience], tokens.Audiences);
            Assert.Matches("""^\{"eventId":"[0-9a-f-]{36}"\}""", log);
            Assert.Equal("ghcr.io/acme/app", Envelope.Parse(await recorder.NextAsync()).Message.GetProperty("image").GetString());
        }

        await using (var tokens = await TokenRequestEndpoint.StartAsync(audience =>
            servers.Issuer.CreateToken(new GitHubTokenClaims { RepositoryOwner = "acme-evil" }, audience: audience)))
        {
            var (exit, log) = await RunAsync(step, tokens, url);
            // curl's exit code for an HTTP answer >= 400 under --fail-with-body; the body is printed for the job's log.
            Assert.Equal(22, exit);
            Assert.Contains("\"status\":401", log, StringComparison.Ordinal);
            Assert.Contains("repository_owner: 'acme-evil'", log, StringComparison.Ordinal);
        }

        // curl has exited, so every attempt it made has been answered: the refused request was sent once.
        await Wait.UntilAsync(() => web.Output.Contains("POST /event -> 401", StringComparison.Ordinal), what: "the refused request's line");
        web.Stop();
        Assert.Single(LogLines.Parse(web.Output), l => l.Text("message").StartsWith("POST /event -> 401", StringComparison.Ordinal));
        await recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public void The_documented_action_step_pins_a_release_with_the_inputs_it_sets()
    {
        var block = YamlBlockAfter("## With the existing action");
        // v0.1.0 of the original action had one "tag" input; "tags" and "expand-versions" came later.
        Assert.Contains("- uses: unitvectory-labs/kuberollouttrigger-action@v0.3.0", block, StringComparison.Ordinal);
        var inputs = WithKeys().Matches(block).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["audience", "url", "image", "tags"], inputs);
        // This repository's action keeps the original's input names (docs/actions.md): the same keys are its inputs.
        var actionYml = File.ReadAllText(Path.Combine(RepositoryRoot(), "action.yml"));
        Assert.All(inputs, input => Assert.Matches($"(?m)^  {input}:$", actionYml));
        // The README's minimal workflow is the same step.
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var readmeBlock = readme[readme.IndexOf("```yaml\n", StringComparison.Ordinal)..];
        Assert.Contains("- uses: unitvectory-labs/kuberollouttrigger-action@v0.3.0", readmeBlock, StringComparison.Ordinal);
        Assert.Equal(inputs, WithKeys().Matches(readmeBlock[..readmeBlock.IndexOf("```\n", 8, StringComparison.Ordinal)]).Select(m => m.Groups[1].Value));
        Assert.DoesNotContain("--retry-all-errors", File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "github-actions.md")).Replace(
            "Do not add `--retry-all-errors`", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Log)> RunAsync(DocumentedStep step, TokenRequestEndpoint tokens, string url)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            environment[(string)entry.Key] = null;
        environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        environment["HOME"] = Path.GetTempPath();
        environment["AUDIENCE"] = OidcIssuer.DefaultAudience;
        environment["URL"] = url;
        environment["ACTIONS_ID_TOKEN_REQUEST_URL"] = tokens.Url.ToString();
        environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = TokenRequestEndpoint.RequestToken;
        // What a runner does with shell: bash.
        using var child = ChildProcess.Start("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.Run], environment);
        child.CloseInput();
        var exit = await child.WaitForExitAsync(Limit);
        output.WriteLine(child.Output);
        return (exit, child.Output);
    }

    /// <summary>The curl step of the doc: its shell, its env keys (checked to be the ones the test sets) and its run script.</summary>
    private static DocumentedStep CurlStep()
    {
        var lines = YamlBlockAfter("## With curl").Split('\n');
        var shell = lines.Select(l => l.Trim()).Single(l => l.StartsWith("shell:", StringComparison.Ordinal))["shell:".Length..].Trim();
        var env = lines.SkipWhile(l => l.Trim() != "env:").Skip(1).TakeWhile(l => !l.Trim().StartsWith("run:", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(':')[0]).ToList();
        Assert.Equal(["AUDIENCE", "URL"], env);
        var runAt = Array.FindIndex(lines, l => l.Trim() == "run: |");
        var indent = lines[runAt].IndexOf('r', StringComparison.Ordinal) + 2;
        var script = string.Join('\n', lines.Skip(runAt + 1).TakeWhile(l => l.Length > indent).Select(l => l[indent..]));
        return new DocumentedStep(shell, script);
    }

    private static string YamlBlockAfter(string heading)
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "github-actions.md"));
        var start = doc.IndexOf("```yaml\n", doc.IndexOf(heading, StringComparison.Ordinal), StringComparison.Ordinal) + "```yaml\n".Length;
        return doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "kuberollouttrigger.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("kuberollouttrigger.sln not found above the test folder");
    }

    [GeneratedRegex(@"(?m)^          ([a-z-]+):")]
    private static partial Regex WithKeys();

    private sealed record DocumentedStep(string Shell, string Run);
}
