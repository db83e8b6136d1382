using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.IntegrationTests.Status;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Xunit.Abstractions;

namespace Kuberollouttrigger.IntegrationTests.Action;

/// <summary>
/// The composite action's script (action/rollout.sh) as a runner runs it: a child process with the runner's token
/// request variables, against the real web and worker modes, redis-server and the fake API's simulated controller.
/// </summary>
[Collection(nameof(ScenarioProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class ActionScriptTests(SharedServers servers, ITestOutputHelper output)
{
    /// <summary>Above the script's longest request (the wait plus KRT_TIMEOUT_SECONDS): it bounds only a failure.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Waits_for_the_rollout_prints_the_table_and_succeeds_when_it_completes()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "action-ok");
        await using var tokens = await TokenRequestEndpoint.StartAsync(audience => env.Issuer.CreateToken(audience: audience));
        using var files = new RunnerFiles();

        var (exit, log) = await RunAsync(env, tokens, files, wait: "30");

        Assert.Equal(0, exit);
        Assert.Equal([OidcIssuer.DefaultAudience], tokens.Audiences);
        Assert.Contains("-> 200", log, StringComparison.Ordinal);
        Assert.Matches(@"NAMESPACE\s+KIND\s+NAME\s+OUTCOME\s+ROLLOUT\s+REASON", log);
        Assert.Matches(@"shop\s+Deployment\s+web\s+restarted\s+complete\s+NewReplicaSetAvailable", log);
        Assert.Matches(@"shop\s+Deployment\s+pinned\s+skipped\s+-\s+every matching container is pinned by digest", log);
        // The token appears only in the runner's add-mask command (as @actions/core's getIDToken does), never elsewhere.
        var tokenStart = env.Issuer.CreateToken()[..36];
        Assert.All(log.Split('\n').Where(l => l.Contains(tokenStart, StringComparison.Ordinal)), l => Assert.StartsWith("::add-mask::", l, StringComparison.Ordinal));
        var summary = File.ReadAllText(files.Summary);
        Assert.Contains("| shop | Deployment | web | restarted | complete | NewReplicaSetAvailable |", summary, StringComparison.Ordinal);
        Assert.Contains("state=done", File.ReadAllText(files.Output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_the_job_when_a_rollout_fails()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "action-failed");
        env.Rollouts.FailRollout("shop", "web");
        await using var tokens = await TokenRequestEndpoint.StartAsync(audience => env.Issuer.CreateToken(audience: audience));
        using var files = new RunnerFiles();

        var (exit, log) = await RunAsync(env, tokens, files, wait: "30");

        Assert.NotEqual(0, exit);
        Assert.Contains("-> 424", log, StringComparison.Ordinal);
        Assert.Matches(@"shop\s+Deployment\s+web\s+restarted\s+failed\s+ProgressDeadlineExceeded", log);
        Assert.Contains("::error::a rollout failed", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_wait_posts_the_expanded_tags_once_and_succeeds_on_202_as_the_original_action()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "action-nowait");
        await using var tokens = await TokenRequestEndpoint.StartAsync(audience => env.Issuer.CreateToken(audience: audience));
        using var files = new RunnerFiles();

        var (exit, log) = await RunAsync(env, tokens, files, wait: "", tags: " v1.2.3, latest,,v1 ", expand: "true");

        Assert.Equal(0, exit);
        Assert.Contains("-> 202", log, StringComparison.Ordinal);
        Assert.DoesNotContain("wait=", log, StringComparison.Ordinal);
        var eventId = File.ReadAllLines(files.Output).Single(l => l.StartsWith("event-id=", StringComparison.Ordinal))["event-id=".Length..];
        string? body = null;
        await Wait.UntilAsync(async () => (body = (await env.GetStatusAsync(eventId, env.Token())).Body).Contains("\"tags\"", StringComparison.Ordinal), what: "the status record");
        using var json = System.Text.Json.JsonDocument.Parse(body!);
        Assert.Equal(["v1", "v1.2", "v1.2.3", "latest"], json.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task A_refused_request_fails_the_job_with_the_services_detail_in_the_error()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "action-refused");
        await using var tokens = await TokenRequestEndpoint.StartAsync(audience => env.Issuer.CreateToken(audience: audience));
        using var files = new RunnerFiles();

        var (exit, log) = await RunAsync(env, tokens, files, wait: "", image: "ghcr.io/other/app");

        Assert.NotEqual(0, exit);
        Assert.Contains("-> 400", log, StringComparison.Ordinal);
        Assert.Contains("::error::request failed with status 400: image is not under the allowed image prefix: it must name a repository below ghcr.io/acme/ (such as ghcr.io/acme/app)",
            log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_token_fails_the_job_naming_the_check_that_failed()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "action-401");
        await using var tokens = await TokenRequestEndpoint.StartAsync(_ => env.Issuer.CreateToken(audience: "another-service"));
        using var files = new RunnerFiles();

        var (exit, log) = await RunAsync(env, tokens, files, wait: "");

        Assert.NotEqual(0, exit);
        Assert.Contains("::error::request failed with status 401: aud: the token's audience 'another-service' is not this service's", log, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Log)> RunAsync(StatusEnvironment env, TokenRequestEndpoint tokens, RunnerFiles files, string wait,
        string tags = "dev", string expand = "false", string image = "ghcr.io/acme/app")
    {
        var script = Path.Combine(RepositoryRoot(), "action", "rollout.sh");
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            environment[(string)entry.Key] = null;
        environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        environment["HOME"] = Path.GetTempPath();
        environment["KRT_AUDIENCE"] = OidcIssuer.DefaultAudience;
        environment["KRT_URL"] = new Uri(env.Ingress.Address, "/event").ToString();
        environment["KRT_IMAGE"] = image;
        environment["KRT_TAGS"] = tags;
        // Generous: a request that times out is retried, and the test counts the token requests.
        environment["KRT_TIMEOUT_SECONDS"] = "30";
        environment["KRT_EXPAND_VERSIONS"] = expand;
        environment["KRT_WAIT"] = wait;
        environment["ACTIONS_ID_TOKEN_REQUEST_URL"] = tokens.Url.ToString();
        environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = TokenRequestEndpoint.RequestToken;
        environment["GITHUB_STEP_SUMMARY"] = files.Summary;
        environment["GITHUB_OUTPUT"] = files.Output;

        using var child = ChildProcess.Start("bash", [script], environment);
        child.CloseInput();
        var exit = await child.WaitForExitAsync(Limit);
        output.WriteLine(child.Output);
        return (exit, child.Output);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "kuberollouttrigger.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("kuberollouttrigger.sln not found above the test folder");
    }

    /// <summary>The runner's GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files, removed after the test.</summary>
    private sealed class RunnerFiles : IDisposable
    {
        public string Summary { get; } = Path.GetTempFileName();

        public string Output { get; } = Path.GetTempFileName();

        public void Dispose()
        {
            File.Delete(Summary);
            File.Delete(Output);
        }
    }
}
