using System.Text.Json.Nodes;
using Kuberollouttrigger.Delivery.Tests.Image;
using Kuberollouttrigger.Delivery.Tests.Tools;
using Kuberollouttrigger.Testing.Docker;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Network;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Yaml;

namespace Kuberollouttrigger.Delivery.Tests.Compose;

/// <summary>
/// docker-compose.yml with Docker Compose itself: its configuration, and its valkey, web and worker services brought up
/// as the file defines them (images, commands, environment, read-only roots, healthcheck and start order). k3s and
/// Jaeger have no local image here, so the worker is pointed at the fake Kubernetes API instead of k3s, and the OTLP
/// endpoint is dropped; the ports are published on free loopback ports instead of the fixed ones.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ComposeRunTests
{
    [SkippableFact]
    public async Task Compose_accepts_the_file()
    {
        await DeliveryTools.RequireDockerAsync();
        var compose = RequireCompose();

        var (code, output) = await RunAsync(compose, ["-f", Repository.PathOf("docker-compose.yml"), "config", "--quiet"]);

        Assert.True(code == 0, output);
    }

    [SkippableFact]
    public async Task Valkey_web_and_worker_of_the_file_restart_the_sample_Deployment_on_a_dev_event()
    {
        var image = await TestImage.GetAsync();
        var compose = RequireCompose();
        await using var network = await DockerNetwork.CreateAsync(DockerContainer.UniqueName("compose"));
        await using var api = await FakeKubernetesApi.StartAsync(new ListenOn(network.Gateway));
        api.AddDeployment("demo", "podinfo", ["ghcr.io/stefanprodan/podinfo:6.7.1"]);
        using var files = new TempDirectory();
        files.Write("kube/kubeconfig-worker.yaml", File.ReadAllText(api.WriteKubeconfig(files.Path)));
        var file = files.Write("docker-compose.yml", Derive(image, network.Name, Path.Combine(files.Path, "kube")).ToJsonString());
        var project = DockerContainer.UniqueName("compose");
        string[] upDown = ["-p", project, "-f", file, "--project-directory", Repository.Root];
        try
        {
            var (up, upOutput) = await RunAsync(compose, [.. upDown, "up", "-d", "--no-build", "valkey", "web", "worker"]);
            Assert.True(up == 0, upOutput);
            var (_, port) = await RunAsync(compose, [.. upDown, "port", "web", "8080"]);
            var url = $"http://127.0.0.1:{port.Trim().Split(':')[^1]}";
            await WaitAsync(async () => (await Ready(url)) && api.Requests.Any(r => r.IsWatch), compose, upDown, "web ready and the worker watching");

            var send = CommandLine.For("bash", [Repository.PathOf("scripts/send-dev-event.sh")]);
            send.Environment["KRT_URL"] = $"{url}/event";
            var (sent, answer) = await CommandLine.RunAsync(send, TimeSpan.FromMinutes(1));

            Assert.True(sent == 0 && answer.Contains(" 202 ", StringComparison.Ordinal), answer);
            await WaitAsync(() => Task.FromResult(api.Requests.Any(r => r.IsPatch && r.Status == 200)), compose, upDown, "the worker's PATCH");
            Assert.Equal(["/apis/apps/v1/namespaces/demo/deployments/podinfo"], api.Requests.Where(r => r.IsPatch).Select(r => r.Path).Distinct());
        }
        finally
        {
            await RunAsync(compose, [.. upDown, "down", "-v", "--remove-orphans"]);
        }
    }

    /// <summary>The valkey, web and worker services of docker-compose.yml, changed only where this machine needs it.</summary>
    private static JsonObject Derive(string image, string network, string kubeconfigDirectory)
    {
        var original = YamlJson.Parse(File.ReadAllText(Repository.PathOf("docker-compose.yml")))!.AsObject();
        var services = original["services"]!.AsObject();
        var derived = new JsonObject();
        foreach (var name in new[] { "valkey", "web", "worker" })
        {
            var service = services[name]!.DeepClone().AsObject();
            service.Remove("build");
            service.Remove("ports");
            service["environment"]?.AsObject().Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
            if (service["depends_on"] is JsonObject dependsOn)
            {
                foreach (var gone in new[] { "k3s-setup", "jaeger" })
                    dependsOn.Remove(gone);
            }
            derived[name] = service;
        }
        derived["web"]!["image"] = image;
        derived["web"]!["ports"] = new JsonArray("127.0.0.1::8080");
        derived["worker"]!["image"] = image;
        derived["worker"]!["volumes"] = new JsonArray($"{kubeconfigDirectory}:/kube:ro");
        return new JsonObject
        {
            ["services"] = derived,
            ["networks"] = new JsonObject { ["default"] = new JsonObject { ["external"] = true, ["name"] = network } },
        };
    }

    private static async Task<bool> Ready(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await client.GetAsync($"{url}/readyz");
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string compose, string[] project, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"waited in vain for {what}:\n{(await RunAsync(compose, [.. project, "logs", "--no-color"])).Output}");
            await Task.Delay(200);
        }
    }

    private static string RequireCompose()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin")
            .Select(d => Path.Combine(d, "docker-compose")).FirstOrDefault(File.Exists);
        if (path is null && DeliveryTools.Required)
            throw new InvalidOperationException($"docker-compose is not installed; {DeliveryTools.RequiredVariable}=required, so this is a failure");
        Skip.If(path is null, "docker-compose (v1) is not installed (../shared/tools/docker-offline/prepare.sh installs it)");
        return path!;
    }

    private static Task<(int Code, string Output)> RunAsync(string compose, string[] arguments)
    {
        var info = CommandLine.For(compose, arguments);
        info.Environment["DOCKER_BUILDKIT"] = "0";
        info.Environment["COMPOSE_DOCKER_CLI_BUILD"] = "0";
        return CommandLine.RunAsync(info, TimeSpan.FromMinutes(3));
    }
}
