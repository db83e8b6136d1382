using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>
/// One redis-server and one OIDC issuer for all the tests of a collection, which run one after another. Each test
/// takes a channel of its own (<see cref="NewChannel"/>), and with it its own keys and streams, so nothing one test
/// leaves in Valkey reaches the next. A test that stops, restarts or reconfigures Valkey (or the issuer) starts its own.
/// </summary>
public sealed class SharedServers : IAsyncLifetime
{
    private int _channels;

    public RedisServer Redis { get; private set; } = null!;

    public OidcIssuer Issuer { get; private set; } = null!;

    /// <summary>A channel no other test of the collection uses: <paramref name="name"/> and a number.</summary>
    public string NewChannel(string name) => $"{name}-{Interlocked.Increment(ref _channels)}";

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Issuer = await OidcIssuer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Issuer is not null)
            await Issuer.DisposeAsync();
        if (Redis is not null)
            await Redis.DisposeAsync();
    }
}
