using System.Net.Http.Headers;
using System.Text;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;

namespace Kuberollouttrigger.IntegrationTests.HighAvailability;

/// <summary>
/// The real web mode and worker on a Valkey topology the test started (a Cluster, or Sentinels), with the fake
/// Kubernetes API and its simulated rollouts: two Deployments run <c>ghcr.io/acme/app:dev</c>, one <c>:prod</c>.
/// </summary>
public sealed class HaStack : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private HaStack(OidcIssuer issuer) => Issuer = issuer;

    public OidcIssuer Issuer { get; }

    public FakeKubernetesApi Api { get; private set; } = null!;

    public RolloutSimulator Rollouts { get; private set; } = null!;

    public IngressServer Ingress { get; private set; } = null!;

    public WorkerServer Worker { get; private set; } = null!;

    /// <param name="valkey">The Valkey:* and Delivery:* settings both modes get (address, Sentinel or Cluster, delivery mode).</param>
    public static async Task<HaStack> StartAsync(OidcIssuer issuer, string channel, IReadOnlyDictionary<string, string?> valkey,
        IReadOnlyDictionary<string, string?>? workerExtra = null, bool waitUntilReady = true, Action<FakeKubernetesApi>? setUp = null)
    {
        var stack = new HaStack(issuer);
        try
        {
            stack.Api = await FakeKubernetesApi.StartAsync();
            stack._owned.Add(stack.Api);
            stack.Rollouts = new RolloutSimulator(stack.Api.Store);
            stack.Api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
            stack.Api.AddDeployment("blog", "web", ["ghcr.io/acme/app:dev"]);
            stack.Api.AddDeployment("blog", "prod", ["ghcr.io/acme/app:prod"]);
            setUp?.Invoke(stack.Api);
            var settings = IngressServer.Settings(valkey["Valkey:Address"]!, channel, issuer);
            foreach (var (key, value) in valkey)
                settings[key] = value;
            stack.Ingress = await IngressServer.StartAsync(settings);
            stack._owned.Add(stack.Ingress);
            var extra = new Dictionary<string, string?>(valkey);
            foreach (var (key, value) in workerExtra ?? new Dictionary<string, string?>())
                extra[key] = value;
            stack.Worker = await WorkerServer.StartAsync(valkey["Valkey:Address"]!, channel, stack.Api, extra: extra, waitUntilReady: waitUntilReady);
            stack._owned.Add(stack.Worker);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>POSTs an event with a fresh signed token (or <paramref name="token"/>); returns the answer and its body.</summary>
    public async Task<(HttpResponseMessage Response, string Body)> PostAsync(string body, string? query = null, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/event" + query) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Issuer.CreateToken());
        var response = await Ingress.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The successful restart PATCHes so far, as <c>namespace/name</c>.</summary>
    public List<string> Restarts() =>
        [.. Api.Requests.Where(r => r.IsPatch && r.Status == 200).Select(r => string.Join('/', r.Path.Split('/')[^3], r.Path.Split('/')[^1]))];

    public async ValueTask DisposeAsync()
    {
        Rollouts?.Dispose();
        for (var i = _owned.Count - 1; i >= 0; i--)
            await _owned[i].DisposeAsync();
    }
}
