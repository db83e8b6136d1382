using System.Net.Http.Headers;
using System.Text;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>
/// The real ingress on a channel of its own and a recorder on that channel, over a redis-server and an OIDC issuer.
/// As the ingress collection's fixture it owns those servers (<see cref="Servers"/>), which the collection's other
/// tests share; built over another environment's servers it borrows them.
/// </summary>
public sealed class IngressEnvironment : IAsyncLifetime
{
    private readonly Action<Dictionary<string, string?>>? _configure;
    private readonly bool _ownsServers;

    public IngressEnvironment()
    {
        Servers = new SharedServers();
        _ownsServers = true;
    }

    /// <summary>For fixtures that need other settings (a policy file); not public, so xunit sees one constructor.</summary>
    internal IngressEnvironment(SharedServers servers, Action<Dictionary<string, string?>> configure)
    {
        Servers = servers;
        _configure = configure;
    }

    public SharedServers Servers { get; }
    public RedisServer Redis => Servers.Redis;
    public OidcIssuer Issuer => Servers.Issuer;
    public string Channel { get; private set; } = "";
    public IngressServer Ingress { get; private set; } = null!;
    public ChannelRecorder Recorder { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (_ownsServers)
            await Servers.InitializeAsync();
        Channel = Servers.NewChannel("ingress");
        var settings = IngressServer.Settings(Redis.Address, Channel, Issuer);
        _configure?.Invoke(settings);
        Ingress = await IngressServer.StartAsync(settings);
        Recorder = await ChannelRecorder.StartAsync(Redis.Address, Channel);
    }

    public async Task DisposeAsync()
    {
        if (Recorder is not null)
            await Recorder.DisposeAsync();
        if (Ingress is not null)
            await Ingress.DisposeAsync();
        if (_ownsServers)
            await Servers.DisposeAsync();
    }

    public Task<HttpResponseMessage> PostEventAsync(string? token, string body, string contentType = "application/json")
    {
        // Expect: 100-continue lets the server refuse an oversized body before the client sends it, as curl does.
        var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(body, Encoding.UTF8) };
        request.Headers.ExpectContinue = true;
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Ingress.Client.SendAsync(request);
    }
}
