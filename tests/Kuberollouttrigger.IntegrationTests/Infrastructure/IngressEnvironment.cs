using System.Net.Http.Headers;
using System.Text;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>redis-server + OIDC issuer + the real ingress + a recorder on the channel, shared by a test class.</summary>
public sealed class IngressEnvironment : IAsyncLifetime
{
    public const string Channel = "kuberollouttrigger-test";
    private readonly Action<Dictionary<string, string?>>? _configure;

    public IngressEnvironment()
    {
    }

    /// <summary>For fixtures that need other settings (a policy file, low limits); not public, so xunit sees one constructor.</summary>
    internal IngressEnvironment(Action<Dictionary<string, string?>> configure) => _configure = configure;

    public RedisServer Redis { get; private set; } = null!;
    public OidcIssuer Issuer { get; private set; } = null!;
    public IngressServer Ingress { get; private set; } = null!;
    public ChannelRecorder Recorder { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Issuer = await OidcIssuer.StartAsync();
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
        if (Issuer is not null)
            await Issuer.DisposeAsync();
        if (Redis is not null)
            await Redis.DisposeAsync();
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
