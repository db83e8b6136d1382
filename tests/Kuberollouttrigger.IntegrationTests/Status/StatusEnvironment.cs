using System.Net.Http.Headers;
using System.Text;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Status;

/// <summary>
/// The collection's redis-server and OIDC issuer, and per test a channel, the fake API with its Deployment controller
/// simulator, the real web mode and the real worker mode: what a waiting client sees is decided by all of them over
/// real connections.
/// </summary>
public sealed class StatusEnvironment : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    public RedisServer Redis { get; private set; } = null!;
    public OidcIssuer Issuer { get; private set; } = null!;
    public FakeKubernetesApi Api { get; private set; } = null!;
    public RolloutSimulator Rollouts { get; private set; } = null!;
    public IngressServer Ingress { get; private set; } = null!;
    public WorkerServer? Worker { get; private set; }

    /// <param name="name">The start of the channel's name; the collection adds a number.</param>
    public static async Task<StatusEnvironment> StartAsync(SharedServers servers, string name, IDictionary<string, string?>? ingressExtra = null,
        IDictionary<string, string?>? workerExtra = null, bool worker = true, Action<FakeKubernetesApi>? setUp = null)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var env = new StatusEnvironment { Redis = servers.Redis, Issuer = servers.Issuer };
        var channel = servers.NewChannel(name);
        try
        {
            env.Api = await FakeKubernetesApi.StartAsync();
            env._owned.Add(env.Api);
            env.Rollouts = new RolloutSimulator(env.Api.Store);
            env.Api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
            env.Api.AddDeployment("shop", "api", ["ghcr.io/acme/app:dev"]);
            env.Api.AddDeployment("shop", "pinned", ["ghcr.io/acme/app:dev@sha256:" + new string('a', 64)]);
            env.Api.AddDeployment("blog", "web", ["ghcr.io/acme/blog:dev"]);
            setUp?.Invoke(env.Api);
            var settings = IngressServer.Settings(env.Redis.Address, channel, env.Issuer);
            foreach (var (key, value) in ingressExtra ?? new Dictionary<string, string?>())
                settings[key] = value;
            env.Ingress = await IngressServer.StartAsync(settings);
            env._owned.Add(env.Ingress);
            if (worker)
            {
                env.Worker = await WorkerServer.StartAsync(env.Redis.Address, channel, env.Api, extra: workerExtra);
                env._owned.Add(env.Worker);
            }
            return env;
        }
        catch
        {
            await env.DisposeAsync();
            throw;
        }
    }

    public string Token(string repository = "acme/app") => Issuer.CreateToken(new GitHubTokenClaims { Repository = repository });

    public async Task<(HttpResponseMessage Response, string Body)> PostAsync(string body, string? query = null, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/event" + query) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token());
        var response = await Ingress.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public async Task<(HttpResponseMessage Response, string Body)> GetStatusAsync(string id, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/events/" + id);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await Ingress.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Rollouts?.Dispose();
        for (var i = _owned.Count - 1; i >= 0; i--)
            await _owned[i].DisposeAsync();
    }
}
