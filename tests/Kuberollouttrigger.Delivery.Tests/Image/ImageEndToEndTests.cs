using System.Globalization;
using System.Net;
using Kuberollouttrigger.Delivery.Tests.Tools;
using Kuberollouttrigger.Testing.Docker;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;

namespace Kuberollouttrigger.Delivery.Tests.Image;

/// <summary>
/// The image's two modes as containers, locked down as a pod would run them (read-only root, a tmpfs /tmp, no
/// capabilities, no privilege escalation), on the host's network with loopback ports, with a Valkey container, the test
/// OIDC issuer and the fake Kubernetes API on the host.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ImageEndToEndTests
{
    [SkippableFact]
    public async Task Signed_event_to_the_web_container_restarts_the_Deployment_through_the_worker_container()
    {
        var image = await TestImage.GetAsync();
        await using var issuer = await OidcIssuer.StartAsync();
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        api.AddDeployment("shop", "other", ["ghcr.io/acme/other:dev"]);
        using var files = new TempDirectory();
        files.Write("kubeconfig.yaml", File.ReadAllText(api.WriteKubeconfig(files.Path)));
        var (valkeyPort, webPort, healthPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        string[] lockedDown = ["--network", "host", "--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL", "--security-opt", "no-new-privileges"];

        await using var valkey = await DockerContainer.RunAsync(DockerContainer.UniqueName("valkey"),
            ["--network", "host", "valkey/valkey:8.1-alpine", "valkey-server", "--bind", "127.0.0.1", "--port", Port(valkeyPort), "--save", "", "--appendonly", "no"]);
        string[] common = ["-e", $"VALKEY_ADDR=127.0.0.1:{valkeyPort}", "-e", "ALLOWED_IMAGE_PREFIX=ghcr.io/acme", "-e", "LOG_LEVEL=info"];
        await using var web = await DockerContainer.RunAsync(DockerContainer.UniqueName("web"),
            [.. lockedDown, .. common, "-e", $"WEB_LISTEN_ADDR=127.0.0.1:{webPort}", "-e", $"GITHUB_OIDC_ISSUER={issuer.Issuer}",
                "-e", $"GITHUB_OIDC_AUDIENCE={OidcIssuer.DefaultAudience}", "-e", "GITHUB_ALLOWED_ORG=acme", image, "web"]);
        await using var worker = await DockerContainer.RunAsync(DockerContainer.UniqueName("worker"),
            [.. lockedDown, .. common, "-e", $"WORKER_HEALTH_ADDR=127.0.0.1:{healthPort}", "-e", "KUBECONFIG=/kube/kubeconfig.yaml",
                "-v", $"{files.Path}:/kube:ro", image, "worker"]);
        await ContainerProbe.WaitReadyAsync(new Uri($"http://127.0.0.1:{webPort}/readyz"), web);
        await ContainerProbe.WaitReadyAsync(new Uri($"http://127.0.0.1:{healthPort}/readyz"), worker);

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent("""{"image":"ghcr.io/acme/app","tags":["dev"]}""", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", issuer.CreateToken());
        using var response = await client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync() + await web.LogsAsync());
        await ContainerProbe.WaitUntilAsync(() => api.Requests.Any(r => r.IsPatch && r.Status == 200), worker, "the worker container's PATCH");
        var patched = api.Requests.Where(r => r.IsPatch).Select(r => r.Path).Distinct().ToList();
        Assert.Equal(["/apis/apps/v1/namespaces/shop/deployments/web"], patched);
        foreach (var container in new[] { web, worker })
        {
            var pid = await container.InspectAsync("{{.State.Pid}}");
            var status = await File.ReadAllLinesAsync($"/proc/{pid}/status");
            Assert.Equal(["1654", "1654", "1654", "1654"], Field(status, "Uid"));
            Assert.Equal(["0000000000000000"], Field(status, "CapEff"));
            Assert.Equal("true", await container.InspectAsync("{{.HostConfig.ReadonlyRootfs}}"));
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string[] Field(string[] status, string name) =>
        status.First(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
