using System.Net;
using System.Text.Json;
using Kuberollouttrigger.IntegrationTests.Collections;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Xunit.Abstractions;

namespace Kuberollouttrigger.IntegrationTests.Status;

/// <summary>
/// "Why didn't my Deployment restart?" answered where the CI job and the operator look: a no-match status record says
/// what the worker watches and which workloads run the repository with other tags; a restart of a container that does
/// not pull Always carries a warning, because nodes that have the tag keep running their copy.
/// </summary>
[Collection(nameof(StatusCollection))]
public sealed class WhyNoRestartTests(SharedServers servers, ITestOutputHelper output)
{
    [Fact]
    public async Task A_no_match_record_names_the_workloads_that_run_the_repository_with_other_tags()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "why-other-tags", setUp: api =>
            api.AddDeployment("shop", "paused", ["ghcr.io/acme/app:v1"], paused: true));

        var (response, body) = await env.PostAsync("""{"image":"ghcr.io/acme/app","tags":["v2"]}""", "?wait=30");

        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("no-match", json.RootElement.GetProperty("state").GetString());
        Assert.Equal("no watched workload (deployments in all namespaces) runs ghcr.io/acme/app with tag v2; it runs with other tags in: Deployment shop/api (dev), " +
            "Deployment shop/paused (v1; paused), Deployment shop/pinned (dev@digest), Deployment shop/web (dev)",
            json.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_no_match_record_for_a_repository_nothing_runs_says_where_to_look()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "why-nothing", workerExtra: new Dictionary<string, string?> { ["Kubernetes:AllowedNamespaces"] = "shop,blog" });

        var (response, body) = await env.PostAsync("""{"image":"ghcr.io/acme/ap","tags":["dev"]}""", "?wait=30");

        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("no watched workload (deployments in namespaces shop, blog) runs ghcr.io/acme/ap with tag dev, and none runs ghcr.io/acme/ap with any tag: check the image name " +
            "and registry host, and whether the workload is in a watched namespace (ALLOWED_NAMESPACES) and of a watched kind (WORKLOAD_KINDS)",
            json.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_restarted_container_that_does_not_pull_Always_is_restarted_with_a_warning()
    {
        await using var env = await StatusEnvironment.StartAsync(servers, "why-pull-policy", setUp: api =>
            api.Store.Put(WorkloadJson.WithPullPolicy(WorkloadJson.Create("shop", "always", ["ghcr.io/acme/app:dev"]), "Always")));

        var (response, body) = await env.PostAsync("""{"image":"ghcr.io/acme/app","tags":["dev"]}""", "?wait=30");

        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        var reasons = json.RootElement.GetProperty("workloads").EnumerateArray()
            .ToDictionary(w => w.GetProperty("name").GetString()!, w => w.GetProperty("reason").GetString());
        Assert.Equal("patched spec.template restartedAt", reasons["always"]);
        // The fake sets no policy, so a tag other than latest pulls IfNotPresent, as kube-apiserver defaults it.
        Assert.Equal("patched spec.template restartedAt; warning: container(s) c0 (IfNotPresent) not imagePullPolicy Always; nodes that already have this tag " +
            "keep running their copy (set imagePullPolicy: Always, or deploy a new tag)", reasons["web"]);
        Assert.Equal("every matching container is pinned by digest", reasons["pinned"]);
    }
}
