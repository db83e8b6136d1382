using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.Oidc;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>
/// The attack (or the honest mistake): a token in the URL, <c>POST /event/&lt;jwt&gt;</c>. The request log of the real
/// web process wrote the full path, token included, and so did every line logged during the request (the framework's
/// <c>request_path</c> scope field) and, at debug, the framework's routing lines. Now the request line writes every
/// segment that may hold a credential as <c>(redacted)</c>, and no log line of any level carries token-shaped text.
/// </summary>
[Collection(nameof(WebProcessCollection))]
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class TokenInPathTests(SharedServers servers)
{
    [Theory]
    [InlineData("info")]
    [InlineData("debug")]
    public async Task Token_in_the_path_or_query_never_reaches_the_log(string level)
    {
        var issuer = servers.Issuer;
        var (web, client) = await WebProcess.StartReadyAsync(servers.Redis, issuer, servers.NewChannel("token-in-path"), new Dictionary<string, string?> { ["LOG_LEVEL"] = level });
        using var process = web;
        using var http = client;
        var token = issuer.CreateToken();
        var github = "ghs_" + new string('A', 36);
        try
        {
            string[] paths =
            [
                $"/event/{token}", $"/events/{token}", $"/event/Bearer%20{token}", $"/{token}", $"/event/x/{token}/y",
                $"/event/a%2F{token}", $"/event?token={token}", $"/events/{github}", $"/{token.Split('.')[1]}",
            ];
            foreach (var path in paths)
            {
                using var post = await client.PostAsync(path, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
                using var get = await client.GetAsync(path);
                Assert.NotEqual(HttpStatusCode.Accepted, post.StatusCode);
            }
            await Wait.UntilAsync(() => Count(web.Output, "\"category\":\"Kuberollouttrigger.Common.Hosting.RequestLogMiddleware\"") >= 2 * paths.Length,
                what: "a request line for every request");
        }
        finally
        {
            web.Stop();
        }

        var logs = web.Output;
        Assert.Contains("\"method\":\"POST\",\"path\":\"/event/(redacted)\"", logs, StringComparison.Ordinal);
        Assert.Contains("\"method\":\"GET\",\"path\":\"/events/(redacted)\"", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[1], logs, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2], logs, StringComparison.Ordinal);
        Assert.DoesNotContain(github, logs, StringComparison.Ordinal);
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
