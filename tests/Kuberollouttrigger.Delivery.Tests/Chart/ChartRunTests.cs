using Kuberollouttrigger.Delivery.Tests.Tools;
using Kuberollouttrigger.Testing.Docker;

namespace Kuberollouttrigger.Delivery.Tests.Chart;

/// <summary>
/// The chart's pods run from what helm renders, on a Docker network of their own (as a pod network): the image built
/// from this checkout with exactly the rendered env, args, mounts and security context, the worker's token allowed on
/// the fake Kubernetes API exactly what the rendered RBAC grants it, the OIDC issuer and the API over HTTPS at the
/// network's gateway. A signed event restarts the workload, cluster-wide and per namespace.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ChartRunTests
{
    [SkippableFact]
    public async Task Cluster_wide_with_the_bundled_Valkey_a_signed_event_restarts_the_Deployment()
    {
        await using var run = await ChartRun.StartAsync("helm4");
        run.Api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        run.Api.AddDeployment("blog", "web", ["ghcr.io/acme/app:dev"]);
        run.Api.AddDeployment("blog", "other", ["ghcr.io/acme/other:dev"]);

        // The one change to the pinned Valkey image: the tag of this machine's local stand-in.
        await run.InstallAsync(ValueSets.All["bundled Valkey with a password"], run.TestValues(), "valkey: {bundled: {image: {tag: 8.1-alpine}}}");
        var patched = await run.SendAndWaitForPatchesAsync(2);

        Assert.Equal(["/apis/apps/v1/namespaces/blog/deployments/web", "/apis/apps/v1/namespaces/shop/deployments/web"], patched);
        Assert.Contains(run.Api.Requests, r => r.Path == "/apis/apps/v1/deployments" && r.Token == run.WorkerToken);
    }

    [SkippableFact]
    public async Task Per_namespace_with_an_external_Valkey_and_its_Secret_a_signed_event_restarts_only_there()
    {
        await using var run = await ChartRun.StartAsync("helm3");
        run.Api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        run.Api.AddDeployment("blog", "web", ["ghcr.io/acme/app:dev"]);
        const string password = "external-valkey-password";
        await using var valkey = await DockerContainer.RunAsync(DockerContainer.UniqueName("external-valkey"),
            ["--network", run.Network.Name, "--network-alias", "valkey.platform.svc", "valkey/valkey:8.1-alpine", "valkey-server", "--requirepass", password, "--save", "", "--appendonly", "no"]);
        run.Cluster(c => c.AddSecret("valkey-credentials", new() { ["password"] = password }));

        await run.InstallAsync(ValueSets.Required, run.TestValues(), "valkey: {existingSecret: valkey-credentials}", "worker: {namespaces: [shop]}");
        var patched = await run.SendAndWaitForPatchesAsync(1);

        Assert.Equal(["/apis/apps/v1/namespaces/shop/deployments/web"], patched);
        var worker = run.Api.Requests.Where(r => r.Token == run.WorkerToken).ToList();
        Assert.NotEmpty(worker);
        Assert.All(worker, r => Assert.StartsWith("/apis/apps/v1/namespaces/shop/", r.Path, StringComparison.Ordinal));
        Assert.All(worker, r => Assert.NotEqual(403, r.Status));
    }
}
