using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Kuberollouttrigger.Bench;

/// <summary>
/// The ceiling of this architecture: an ASP.NET Core endpoint that only PUBLISHes the body to Valkey, with no
/// authentication, no validation and no envelope. Run as its own process by the ingress load script.
/// </summary>
public static class BarePublishServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
        var valkey = args[1];
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(valkey);
        var subscriber = redis.GetSubscriber();
        await using var app = builder.Build();
        app.MapPost("/event", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            await subscriber.PublishAsync(RedisChannel.Literal("kuberollouttrigger"), body.ToArray());
            return Results.Accepted();
        });
        app.MapGet("/readyz", () => Results.Ok());
        await app.RunAsync();
        return 0;
    }
}
