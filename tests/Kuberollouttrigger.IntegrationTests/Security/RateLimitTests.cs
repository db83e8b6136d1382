using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>
/// The failure budget per client address (checked before JwtBearer, so no signature is verified once it is spent)
/// and the event budget per repository. Each test starts its own web mode, since the budgets are per process.
/// </summary>
[Collection(nameof(IngressCollection))]
public sealed class RateLimitTests(IngressEnvironment env) : IAsyncLifetime
{
    private const string Body = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";
    private string Channel { get; } = env.Servers.NewChannel("rate-limit");
    private readonly RedisServer _redis = env.Redis;
    private OidcIssuer _issuer = null!;
    private ChannelRecorder _recorder = null!;

    /// <summary>An issuer per test: one test counts its JWKS fetches.</summary>
    public async Task InitializeAsync()
    {
        _issuer = await OidcIssuer.StartAsync();
        _recorder = await ChannelRecorder.StartAsync(_redis.Address, Channel);
    }

    public async Task DisposeAsync()
    {
        await _recorder.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task Address_that_spent_its_failure_budget_gets_429_before_any_token_is_verified()
    {
        await using var ingress = await StartAsync(authFailures: 3);
        using var stranger = new SigningKey("key-1");
        for (var i = 0; i < 3; i++)
        {
            using var bad = await Post(ingress, _issuer.CreateToken(stranger));
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        }

        using var limited = await Post(ingress, _issuer.CreateToken(stranger));
        using var valid = await Post(ingress, _issuer.CreateToken());

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        Assert.Contains("too many failed authentication attempts", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Decided and documented: a valid token from a limited address is limited too (telling it apart costs the signature check).
        Assert.Equal(HttpStatusCode.TooManyRequests, valid.StatusCode);
        await _recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Failure_budget_also_guards_the_status_endpoint()
    {
        await using var ingress = await StartAsync(authFailures: 3);
        using var stranger = new SigningKey("key-1");
        for (var i = 0; i < 3; i++)
        {
            using var bad = await GetStatus(ingress, _issuer.CreateToken(stranger));
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        }

        using var limitedRead = await GetStatus(ingress, _issuer.CreateToken(stranger));
        using var limitedPost = await Post(ingress, _issuer.CreateToken());

        // Bad tokens on GET /events/{id} spend the same budget and are then refused before any signature check.
        Assert.Equal(HttpStatusCode.TooManyRequests, limitedRead.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limitedPost.StatusCode);
        await _recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Limited_address_never_makes_the_ingress_fetch_the_issuers_keys()
    {
        await using var ingress = await StartAsync(authFailures: 3);
        for (var i = 0; i < 3; i++)
        {
            using var anonymous = await Post(ingress, token: null);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using var valid = await Post(ingress, _issuer.CreateToken());

        // Verifying any token needs the JWKS first; it was never fetched, so no signature was checked.
        Assert.Equal(HttpStatusCode.TooManyRequests, valid.StatusCode);
        Assert.Equal(0, _issuer.JwksFetches);
        await _recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Forwarded_address_counts_only_behind_a_trusted_proxy()
    {
        await using var untrusted = await StartAsync(authFailures: 2);
        await FailTwiceAsync(untrusted, "203.0.113.7");
        using var spoofed = await Post(untrusted, _issuer.CreateToken(), forwardedFor: "198.51.100.1");
        Assert.Equal(HttpStatusCode.TooManyRequests, spoofed.StatusCode);

        await using var behindProxy = await StartAsync(authFailures: 2, trustedProxies: "127.0.0.1");
        await FailTwiceAsync(behindProxy, "203.0.113.7");
        using var attacker = await Post(behindProxy, _issuer.CreateToken(), forwardedFor: "203.0.113.7");
        using var ci = await Post(behindProxy, _issuer.CreateToken(), forwardedFor: "198.51.100.1");

        Assert.Equal(HttpStatusCode.TooManyRequests, attacker.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, ci.StatusCode);
        await _recorder.NextAsync();
        await _recorder.AssertNothingPublishedAsync();
    }

    [Fact]
    public async Task Repository_over_its_event_budget_gets_429_and_publishes_nothing_while_others_go_on()
    {
        await using var ingress = await StartAsync(eventsPerRepository: 2);
        for (var i = 0; i < 2; i++)
        {
            using var accepted = await Post(ingress, _issuer.CreateToken());
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            await _recorder.NextAsync();
        }

        using var limited = await Post(ingress, _issuer.CreateToken());
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Contains("too many events from this repository", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await _recorder.AssertNothingPublishedAsync();

        using var other = await Post(ingress, _issuer.CreateToken(new GitHubTokenClaims { Repository = "acme/other" }));
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        await _recorder.NextAsync();
        await _recorder.AssertNothingPublishedAsync();
    }

    private static async Task FailTwiceAsync(IngressServer ingress, string forwardedFor)
    {
        for (var i = 0; i < 2; i++)
        {
            using var anonymous = await Post(ingress, token: null, forwardedFor);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
    }

    private Task<IngressServer> StartAsync(int authFailures = 1000, int eventsPerRepository = 1000, string? trustedProxies = null)
    {
        var settings = IngressServer.Settings(_redis.Address, Channel, _issuer);
        settings["Abuse:AuthFailuresPerMinute"] = authFailures.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Abuse:EventsPerMinutePerRepository"] = eventsPerRepository.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Abuse:TrustedProxies"] = trustedProxies;
        return IngressServer.StartAsync(settings);
    }

    private static Task<HttpResponseMessage> GetStatus(IngressServer ingress, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/events/{Guid.NewGuid()}");
        request.Headers.Authorization = new("Bearer", token);
        return ingress.Client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Post(IngressServer ingress, string? token, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json") };
        if (token is not null)
            request.Headers.Authorization = new("Bearer", token);
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        return ingress.Client.SendAsync(request);
    }
}
