using System.Net;
using System.Text.Json;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.EndToEnd;

/// <summary>What an end-to-end test runs against: redis-server, an OIDC issuer, the fake Kubernetes API and the real ingress; workers are started per test.</summary>
public sealed class EndToEndStack : IAsyncDisposable
{
    private EndToEndStack(RedisServer redis, OidcIssuer issuer, FakeKubernetesApi api, IngressServer ingress) =>
        (Redis, Issuer, Api, Ingress) = (redis, issuer, api, ingress);

    public RedisServer Redis { get; }

    public OidcIssuer Issuer { get; }

    public FakeKubernetesApi Api { get; }

    public IngressServer Ingress { get; }

    public static async Task<EndToEndStack> StartAsync(string channel)
    {
        var redis = await RedisServer.StartAsync();
        var issuer = await OidcIssuer.StartAsync();
        var api = await FakeKubernetesApi.StartAsync();
        var ingress = await IngressServer.StartAsync(IngressServer.Settings(redis.Address, channel, issuer));
        return new EndToEndStack(redis, issuer, api, ingress);
    }

    /// <summary>POSTs an event with a fresh signed token; asserts 202 and returns the event id.</summary>
    public async Task<Guid> PostAsync(string body)
    {
        using var response = await SendAsync(body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("eventId").GetGuid();
    }

    public async Task<HttpStatusCode> PostRawAsync(string body)
    {
        using var response = await SendAsync(body);
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        await Ingress.DisposeAsync();
        await Api.DisposeAsync();
        await Issuer.DisposeAsync();
        await Redis.DisposeAsync();
    }

    private async Task<HttpResponseMessage> SendAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", Issuer.CreateToken());
        return await Ingress.Client.SendAsync(request);
    }
}
