using System.Net;
using System.Text.Json;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Kuberollouttrigger.IntegrationTests.Status;

/// <summary>
/// Event status and waiting through the real web and worker modes, redis-server, signed tokens and the fake API's
/// simulated Deployment controller: what a waiting client is answered, and who may read a status.
/// </summary>
[Collection(nameof(StatusCollection))]
public sealed class EventStatusTests(SharedServers servers, ITestOutputHelper output)
{
    private const string AppDev = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";

    [Fact]
    public async Task Waited_request_answers_200_with_the_status_once_the_rollout_completed()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "status-done");

        var (response, body) = await env.PostAsync(AppDev, "?wait=30");

        output.WriteLine($"HTTP/{response.Version} {(int)response.StatusCode} {response.ReasonPhrase}");
        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("done", root.GetProperty("state").GetString());
        Assert.Equal("acme/app", root.GetProperty("repository").GetString());
        Assert.Equal("ghcr.io/acme/app", root.GetProperty("image").GetString());
        var workloads = root.GetProperty("workloads").EnumerateArray().ToDictionary(w => w.GetProperty("name").GetString()!);
        Assert.Equal(["api", "pinned", "web"], workloads.Keys.Order());
        Assert.Equal("complete", workloads["web"].GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal("complete", workloads["api"].GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal("skipped", workloads["pinned"].GetProperty("outcome").GetString());
        Assert.False(workloads["pinned"].TryGetProperty("rollout", out _));
        Assert.Equal(2, env.Rollouts.Finished);
    }

    [Fact]
    public async Task Waited_request_answers_424_when_a_rollout_exceeded_its_progress_deadline()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "status-failed");
        env.Rollouts.FailRollout("shop", "api");

        var (response, body) = await env.PostAsync(AppDev, "?wait=30");

        output.WriteLine($"HTTP/{response.Version} {(int)response.StatusCode} {response.ReasonPhrase}");
        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.FailedDependency, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("failed", json.RootElement.GetProperty("state").GetString());
        var api = json.RootElement.GetProperty("workloads").EnumerateArray().Single(w => w.GetProperty("name").GetString() == "api");
        Assert.Equal("failed", api.GetProperty("rollout").GetProperty("state").GetString());
        Assert.StartsWith("ProgressDeadlineExceeded", api.GetProperty("rollout").GetProperty("reason").GetString(), StringComparison.Ordinal);
        var web = json.RootElement.GetProperty("workloads").EnumerateArray().Single(w => w.GetProperty("name").GetString() == "web");
        Assert.Equal("complete", web.GetProperty("rollout").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Rollout_that_never_completes_times_out_and_fails_the_wait()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "status-timeout", workerExtra: new Dictionary<string, string?> { ["Progress:RolloutTimeout"] = "00:00:01" });
        env.Rollouts.StepDelay = TimeSpan.FromSeconds(30);

        var (response, body) = await env.PostAsync("""{"image":"ghcr.io/acme/app","tags":["dev"]}""", "?wait=20");

        Assert.Equal(HttpStatusCode.FailedDependency, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.All(json.RootElement.GetProperty("workloads").EnumerateArray().Where(w => w.GetProperty("outcome").GetString() == "restarted"),
            w => Assert.Equal("timed-out", w.GetProperty("rollout").GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Event_the_worker_gives_up_on_answers_424_with_the_reason()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "status-gaveup", workerExtra: new Dictionary<string, string?> { ["Rollout:RetryLimit"] = "1" });
        env.Api.Fail("PATCH", "/namespaces/shop/deployments/web", 500, times: 10);

        var (response, body) = await env.PostAsync(AppDev, "?wait=30");

        Assert.Equal(HttpStatusCode.FailedDependency, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("failed", json.RootElement.GetProperty("state").GetString());
        Assert.StartsWith("gave up after 2 attempts: TransientKubernetesException", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_matched_answers_422_with_state_no_match()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "status-nomatch");

        var (response, body) = await env.PostAsync("""{"image":"ghcr.io/acme/unused","tags":["dev"]}""", "?wait=30");

        output.WriteLine($"HTTP/{response.Version} {(int)response.StatusCode} {response.ReasonPhrase}");
        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("no-match", json.RootElement.GetProperty("state").GetString());
        Assert.Empty(json.RootElement.GetProperty("workloads").EnumerateArray());
    }

    [Fact]
    public async Task Nothing_matched_answers_200_with_NO_MATCH_IS_SUCCESS()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "status-nomatch-ok", ingressExtra: new Dictionary<string, string?> { ["EventWait:NoMatchIsSuccess"] = "true" });

        var (response, body) = await env.PostAsync("""{"image":"ghcr.io/acme/unused","tags":["dev"]}""", "?wait=30");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("no-match", json.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Wait_that_runs_out_answers_202_with_the_current_status()
    {
        // The rollout cannot finish within the wait; the wait is long enough for the restart to be recorded on a loaded machine.
        await using var env = await StatusEnvironment.StartAsync(servers, "status-202");
        env.Rollouts.StepDelay = TimeSpan.FromSeconds(60);

        var (response, body) = await env.PostAsync(AppDev, "?wait=5");

        output.WriteLine($"HTTP/{response.Version} {(int)response.StatusCode} {response.ReasonPhrase}");
        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("processing", json.RootElement.GetProperty("state").GetString());
        Assert.Contains(json.RootElement.GetProperty("workloads").EnumerateArray(), w => w.GetProperty("rollout").GetProperty("state").GetString() == "progressing");
    }

    [Fact]
    public async Task Wait_without_a_worker_answers_503_before_waiting()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "status-nosub", worker: false);

        var (response, _) = await env.PostAsync(AppDev, "?wait=5");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Wait_with_no_worker_reporting_answers_202_with_state_published()
    {
        // ALLOW_NO_SUBSCRIBER lets the event through with nobody listening; nobody reports, so the wait runs out.
        await using var env = await StatusEnvironment.StartAsync(servers, "status-noworker",
            ingressExtra: new Dictionary<string, string?> { ["Ingress:AllowNoSubscriber"] = "true" }, worker: false);

        var (response, body) = await env.PostAsync("""{"image":"ghcr.io/acme/app","tags":["dev","dev","v2"]}""", "?wait=1");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("published", json.RootElement.GetProperty("state").GetString());
        Assert.Equal(["dev", "v2"], json.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory]
    [InlineData("?wait=abc")]
    [InlineData("?wait=901")]
    [InlineData("?wait=-1")]
    [InlineData("?wait=1.5")]
    [InlineData("?wait=")]
    [InlineData("?wait=1&wait=2")]
    public async Task Wait_out_of_range_or_not_an_integer_is_refused_with_400(string query)
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "status-400", worker: false);

        var (response, _) = await env.PostAsync(AppDev, query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_without_wait_answers_202_with_only_the_event_id_as_before()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "status-nowait");

        var (response, body) = await env.PostAsync(AppDev);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(["eventId"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(Guid.TryParse(json.RootElement.GetProperty("eventId").GetString(), out _));
    }

    [Fact]
    public async Task Status_is_readable_by_the_sending_repository_and_404_for_another_repository_of_the_org()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "status-get");
        var (posted, postBody) = await env.PostAsync(AppDev);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var id = JsonDocument.Parse(postBody).RootElement.GetProperty("eventId").GetString()!;

        string? state = null;
        await Wait.UntilAsync(async () =>
        {
            var (r, b) = await env.GetStatusAsync(id, env.Token());
            state = r.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(b).RootElement.GetProperty("state").GetString() : null;
            return state == "done";
        }, what: "the sender to read state done");

        var (other, otherBody) = await env.GetStatusAsync(id, env.Token("acme/other"));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.DoesNotContain("shop", otherBody, StringComparison.Ordinal);
        var (unknown, _) = await env.GetStatusAsync(Guid.NewGuid().ToString(), env.Token());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var (noToken, _) = await env.GetStatusAsync(id, "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
    }

    [Fact]
    public async Task Dry_run_records_the_matches_as_skipped_and_follows_no_rollout()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "status-dry", workerExtra: new Dictionary<string, string?> { ["Kubernetes:DryRun"] = "true" });

        var (response, body) = await env.PostAsync(AppDev, "?wait=30");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("done", json.RootElement.GetProperty("state").GetString());
        Assert.All(json.RootElement.GetProperty("workloads").EnumerateArray(), w => Assert.Equal("skipped", w.GetProperty("outcome").GetString()));
        Assert.Equal(0, env.Rollouts.Finished);
        Assert.DoesNotContain(env.Api.Requests, r => r.Method == "GET" && r.Path.EndsWith("/deployments/web", StringComparison.Ordinal));
    }
}
