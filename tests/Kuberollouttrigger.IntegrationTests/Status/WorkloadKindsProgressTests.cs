using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;

namespace Kuberollouttrigger.IntegrationTests.Status;

/// <summary>
/// A waited event whose image runs in a StatefulSet and a DaemonSet: the worker follows both rollouts through its
/// watch with each kind's completion rule. The test plays the controllers: once the restart PATCH bumped a workload's
/// generation, it writes that kind's finished status (StatefulSet: revisions equal, replicas updated and ready;
/// DaemonSet: every scheduled pod updated and available).
/// </summary>
[Collection(nameof(EndToEndCollection))]
public sealed class WorkloadKindsProgressTests(SharedServers servers)
{
    private const string Kit = """{"image":"ghcr.io/acme/kit","tags":["dev"]}""";

    [Fact]
    public async Task Waited_request_answers_200_once_the_StatefulSet_and_DaemonSet_rolled_out()
    {
        await using var env = await StartAsync("kinds-done");

        var post = env.PostAsync(Kit, "?wait=30");
        await FinishRolloutAsync(env.Api, "statefulsets", "db", status =>
        {
            status["replicas"] = 1;
            status["updatedReplicas"] = 1;
            status["readyReplicas"] = 1;
            status["currentRevision"] = "db-2";
            status["updateRevision"] = "db-2";
        });
        await FinishRolloutAsync(env.Api, "daemonsets", "agent", status =>
        {
            status["desiredNumberScheduled"] = 2;
            status["updatedNumberScheduled"] = 2;
            status["numberAvailable"] = 2;
        });
        var (response, body) = await post;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("done", json.RootElement.GetProperty("state").GetString());
        var workloads = json.RootElement.GetProperty("workloads").EnumerateArray().ToDictionary(w => w.GetProperty("kind").GetString()!);
        Assert.Equal(["DaemonSet", "StatefulSet"], workloads.Keys.Order());
        Assert.All(workloads.Values, w => Assert.Equal("complete", w.GetProperty("rollout").GetProperty("state").GetString()));
    }

    [Fact]
    public async Task StatefulSet_whose_pods_never_become_ready_times_out_and_fails_the_wait()
    {
        // Long enough for the DaemonSet's finished status to be seen before it, on a loaded machine too.
        await using var env = await StartAsync("kinds-timeout", rolloutTimeout: "00:00:05");

        var post = env.PostAsync(Kit, "?wait=30");
        await FinishRolloutAsync(env.Api, "statefulsets", "db", status =>
        {
            status["replicas"] = 1;
            status["updatedReplicas"] = 1;
            status["readyReplicas"] = 0;
            status["currentRevision"] = "db-1";
            status["updateRevision"] = "db-2";
        });
        await FinishRolloutAsync(env.Api, "daemonsets", "agent", status =>
        {
            status["desiredNumberScheduled"] = 1;
            status["updatedNumberScheduled"] = 1;
            status["numberAvailable"] = 1;
        });
        var (response, body) = await post;

        Assert.Equal(HttpStatusCode.FailedDependency, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        var workloads = json.RootElement.GetProperty("workloads").EnumerateArray().ToDictionary(w => w.GetProperty("kind").GetString()!);
        Assert.Equal("timed-out", workloads["StatefulSet"].GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal("complete", workloads["DaemonSet"].GetProperty("rollout").GetProperty("state").GetString());
    }

    private Task<StatusEnvironment> StartAsync(string channel, string rolloutTimeout = "00:01:00") =>
        StatusEnvironment.StartAsync(servers, channel, workerExtra: new Dictionary<string, string?>
        {
            ["Kubernetes:WorkloadKinds"] = "deployments,statefulsets,daemonsets",
            ["Progress:RolloutTimeout"] = rolloutTimeout,
        }, setUp: api =>
        {
            api.AddWorkload("StatefulSet", "shop", "db", ["ghcr.io/acme/kit:dev"]);
            api.AddWorkload("DaemonSet", "shop", "agent", ["ghcr.io/acme/kit:dev"]);
        });

    /// <summary>Waits for the restart to bump the generation, then writes the observed generation and <paramref name="finish"/>.</summary>
    private static async Task FinishRolloutAsync(FakeKubernetesApi api, string resource, string name, Action<JsonObject> finish)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (Generation(api.Store.Get("shop", name, resource)) < 2)
            await Task.Delay(20, timeout.Token);
        api.Store.Update("shop", name, workload =>
        {
            var status = new JsonObject { ["observedGeneration"] = Generation(workload) };
            finish(status);
            workload["status"] = status;
            return true;
        }, resource);
    }

    private static long Generation(JsonObject? workload) =>
        workload?["metadata"]?["generation"] is { } g ? long.Parse(g.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : 0;
}
