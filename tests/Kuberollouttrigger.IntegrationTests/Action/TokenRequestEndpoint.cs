using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuberollouttrigger.IntegrationTests.Action;

/// <summary>
/// GitHub's token request endpoint on loopback (ACTIONS_ID_TOKEN_REQUEST_URL): answers <c>{"value": token}</c> with a
/// token minted for the asked audience, only to the request token the runner would hold.
/// </summary>
public sealed class TokenRequestEndpoint : IAsyncDisposable
{
    public const string RequestToken = "runner-request-token";
    private readonly WebApplication _app;

    private readonly List<string> _audiences = [];

    private TokenRequestEndpoint(WebApplication app) => _app = app;

    /// <summary>The URL as the runner sets it: it already carries a query, so the audience is appended with '&amp;'.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The audiences tokens were asked for.</summary>
    public IReadOnlyList<string> Audiences
    {
        get
        {
            lock (_audiences)
                return [.. _audiences];
        }
    }

    public static async Task<TokenRequestEndpoint> StartAsync(Func<string, string> mint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var endpoint = new TokenRequestEndpoint(app);
        app.MapGet("/token", (HttpContext context) =>
        {
            if (context.Request.Headers.Authorization.ToString() != "bearer " + RequestToken)
                return Results.StatusCode(401);
            var audience = context.Request.Query["audience"].ToString();
            lock (endpoint._audiences)
                endpoint._audiences.Add(audience);
            return Results.Json(new JsonObject { ["count"] = 1, ["value"] = mint(audience) });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint.Url = new Uri(address.TrimEnd('/') + "/token?api-version=2.0");
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
