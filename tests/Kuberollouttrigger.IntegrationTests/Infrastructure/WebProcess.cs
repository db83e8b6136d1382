using System.Net.Http.Headers;
using System.Text;
using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>The real <c>kuberollouttrigger web</c> executable on a loopback port, set up as an operator would, and requests to it.</summary>
public static class WebProcess
{
    public const string AppBody = """{"image":"ghcr.io/acme/app","tags":["dev"]}""";

    /// <summary>
    /// Starts the web mode on <paramref name="redis"/> and <paramref name="issuer"/> (prefix ghcr.io/acme, org acme),
    /// publishing on <paramref name="channel"/>, with more settings and flags.
    /// </summary>
    public static ChildProcess Start(RedisServer redis, OidcIssuer issuer, string channel, int port, IDictionary<string, string?>? environment = null, string[]? flags = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(issuer);
        var settings = new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["VALKEY_CHANNEL"] = channel,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["GITHUB_OIDC_AUDIENCE"] = OidcIssuer.DefaultAudience,
            ["GITHUB_ALLOWED_ORG"] = "acme",
            ["GITHUB_OIDC_ISSUER"] = issuer.Issuer,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            settings[key] = value;
        return HostProcess.Start(["web", "--listen-addr", $"127.0.0.1:{port}", .. flags ?? []], settings);
    }

    /// <summary>Starts it and waits until it is ready; the client talks to it.</summary>
    public static async Task<(ChildProcess Process, HttpClient Client)> StartReadyAsync(RedisServer redis, OidcIssuer issuer, string channel,
        IDictionary<string, string?>? environment = null, string[]? flags = null, TimeSpan? clientTimeout = null)
    {
        var port = FreePort.Next();
        var process = Start(redis, issuer, channel, port, environment, flags);
        try
        {
            await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/readyz"), process);
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return (process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = clientTimeout ?? TimeSpan.FromSeconds(100) });
    }

    /// <summary><c>POST /event{query}</c> with <paramref name="body"/> as JSON, the bearer token, and an X-Forwarded-For when given.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string token, string body = AppBody, string query = "",
        string? forwardedFor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var request = new HttpRequestMessage(HttpMethod.Post, "/event" + query) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request, cancellationToken);
    }
}
