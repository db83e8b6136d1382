using System.Net;
using System.Text.Json.Nodes;
using Kuberollouttrigger.IntegrationTests.Collections;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;

namespace Kuberollouttrigger.IntegrationTests.Ingress;

/// <summary>
/// After the issuer rotates its signing key, the first token signed with the new key is accepted on its first
/// request: the unknown kid makes one synchronous reload of the JWKS and a second validation. The reload is rate
/// limited: tokens with made-up kids never make the service fetch again within the interval. The collection's
/// redis-server; an issuer of its own, because the test rotates its key.
/// </summary>
[Collection(nameof(IngressCollection))]
public sealed class KeyRotationTests(IngressEnvironment env) : IAsyncLifetime
{
    private const string Body = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";
    private OidcIssuer _issuer = null!;
    private IngressServer _ingress = null!;
    private ChannelRecorder _recorder = null!;

    public async Task InitializeAsync()
    {
        var channel = env.Servers.NewChannel("key-rotation");
        _issuer = await OidcIssuer.StartAsync();
        var settings = IngressServer.Settings(env.Redis.Address, channel, _issuer);
        // Far longer than the test: a second reload inside it would show.
        settings["GitHubOidc:KeyRefreshInterval"] = "01:00:00";
        _ingress = await IngressServer.StartAsync(settings);
        _recorder = await ChannelRecorder.StartAsync(env.Redis.Address, channel);
    }

    public async Task DisposeAsync()
    {
        await _recorder.DisposeAsync();
        await _ingress.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task A_token_signed_with_the_rotated_key_is_accepted_on_its_first_request()
    {
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(_issuer.CreateToken()));
        await _recorder.NextAsync();
        var cached = _issuer.JwksFetches;
        var rotated = new SigningKey("key-2");
        _issuer.Rotate(rotated);

        var first = await PostAsync(_issuer.CreateToken(rotated));

        Assert.Equal(HttpStatusCode.Accepted, first);
        Assert.Equal("ghcr.io/acme/app", Envelope.Parse(await _recorder.NextAsync()).Message.GetProperty("image").GetString());
        Assert.Equal(cached + 1, _issuer.JwksFetches);
        // The reloaded keys serve the next tokens without another fetch.
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(_issuer.CreateToken(rotated)));
        await _recorder.NextAsync();
        Assert.Equal(cached + 1, _issuer.JwksFetches);
    }

    [Fact]
    public async Task Unknown_kids_reload_the_keys_at_most_once_per_interval()
    {
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(_issuer.CreateToken()));
        await _recorder.NextAsync();
        var cached = _issuer.JwksFetches;

        for (var i = 0; i < 5; i++)
        {
            using var stranger = new SigningKey($"made-up-{i}");
            using var response = await SendAsync(_issuer.CreateToken(stranger));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var detail = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
            Assert.StartsWith($"signature: the issuer publishes no key with the token's kid 'made-up-{i}'", detail, StringComparison.Ordinal);
        }

        Assert.Equal(cached + 1, _issuer.JwksFetches);
        await _recorder.AssertNothingPublishedAsync();
    }

    private async Task<HttpStatusCode> PostAsync(string token)
    {
        using var response = await SendAsync(token);
        return response.StatusCode;
    }

    private Task<HttpResponseMessage> SendAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", token);
        return _ingress.Client.SendAsync(request);
    }
}
