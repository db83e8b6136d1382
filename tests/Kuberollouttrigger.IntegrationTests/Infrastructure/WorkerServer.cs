using Kuberollouttrigger.Common.Hosting;
using Kuberollouttrigger.RolloutWorker;
using Kuberollouttrigger.Testing.FakeKube;
using Microsoft.AspNetCore.Builder;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>The real worker mode, built by the production composition, with its health port on loopback.</summary>
public sealed class WorkerServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _kubeconfig;

    private WorkerServer(WebApplication app, string kubeconfig)
    {
        _app = app;
        _kubeconfig = kubeconfig;
        Client = new HttpClient { BaseAddress = app.BoundAddress() };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<WorkerServer> StartAsync(string valkeyAddress, string channel, FakeKubernetesApi api,
        string token = FakeKubeRbac.AdminToken, IDictionary<string, string?>? extra = null, bool waitUntilReady = true)
    {
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath(), token);
        var settings = new Dictionary<string, string?>
        {
            ["Logging:Level"] = "warn",
            ["Valkey:Address"] = valkeyAddress,
            ["Valkey:Channel"] = channel,
            ["Worker:AllowedImagePrefix"] = "ghcr.io/acme",
            ["Worker:HealthAddress"] = "127.0.0.1:0",
            ["Kubernetes:Kubeconfig"] = kubeconfig,
            ["Rollout:RetryMinInterval"] = "00:00:00.050",
            ["Rollout:RetryMaxInterval"] = "00:00:00.500",
            ["Rollout:RetryJitter"] = "00:00:00.020",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        var app = WorkerApplication.Build(settings);
        await app.StartAsync();
        var server = new WorkerServer(app, kubeconfig);
        if (waitUntilReady)
            await server.WaitUntilReadyAsync();
        return server;
    }

    public async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            using var response = await Client.GetAsync("/readyz");
            if (response.IsSuccessStatusCode)
                return;
            Assert.True(DateTime.UtcNow < deadline, "the worker never became ready: " + await response.Content.ReadAsStringAsync());
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(_kubeconfig);
    }
}
