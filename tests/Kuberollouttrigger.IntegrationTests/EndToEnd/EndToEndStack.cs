using System.Net;
using System.Text.Json;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.EndToEnd;

/// <summary>
/// What an end-to-end test runs against: the collection's redis-server and OIDC issuer, a fake Kubernetes API and the
/// real ingress on a channel of the test's own; workers are started per test.
/// </summary>
public sealed class EndToEndStack : IAsyncDisposable
{
    private readonly RedisServer? _ownRedis;
    private readonly ConnectionMultiplexer _valkey;
    private readonly WorkerRecords _records;

    private EndToEndStack(RedisServer redis, OidcIssuer issuer, FakeKubernetesApi api, IngressServer ingress, string channel, bool ownsRedis, ConnectionMultiplexer valkey)
    {
        (Redis, Issuer, Api, Ingress, Channel, _ownRedis, _valkey) = (redis, issuer, api, ingress, channel, ownsRedis ? redis : null, valkey);
        _records = new WorkerRecords(valkey, channel);
    }

    public RedisServer Redis { get; }

    public OidcIssuer Issuer { get; }

    public FakeKubernetesApi Api { get; }

    public IngressServer Ingress { get; }

    public string Channel { get; }

    public static Task<EndToEndStack> StartAsync(SharedServers servers, string name)
    {
        ArgumentNullException.ThrowIfNull(servers);
        return StartAsync(servers.Redis, servers.Issuer, servers.NewChannel(name), ownsRedis: false);
    }

    /// <summary>The same stack over a redis-server of its own, for a test that stops or restarts Valkey.</summary>
    public static async Task<EndToEndStack> StartWithOwnValkeyAsync(SharedServers servers, string name)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var redis = await RedisServer.StartAsync();
        try
        {
            return await StartAsync(redis, servers.Issuer, servers.NewChannel(name), ownsRedis: true);
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>The event's idempotency record reads <c>done</c>: a worker handled it to the end.</summary>
    public Task<bool> IsHandledAsync(Guid eventId) => _records.IsHandledAsync(eventId);

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
        await _valkey.DisposeAsync();
        await Ingress.DisposeAsync();
        await Api.DisposeAsync();
        if (_ownRedis is not null)
            await _ownRedis.DisposeAsync();
    }

    private static async Task<EndToEndStack> StartAsync(RedisServer redis, OidcIssuer issuer, string channel, bool ownsRedis)
    {
        var valkey = await redis.ConnectAsync();
        var api = await FakeKubernetesApi.StartAsync();
        try
        {
            var ingress = await IngressServer.StartAsync(IngressServer.Settings(redis.Address, channel, issuer));
            return new EndToEndStack(redis, issuer, api, ingress, channel, ownsRedis, valkey);
        }
        catch
        {
            await api.DisposeAsync();
            await valkey.DisposeAsync();
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", Issuer.CreateToken());
        return await Ingress.Client.SendAsync(request);
    }
}
