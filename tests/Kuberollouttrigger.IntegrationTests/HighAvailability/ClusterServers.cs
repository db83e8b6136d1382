using Kuberollouttrigger.Testing.Oidc;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.HighAvailability;

/// <summary>One three-node Valkey Cluster and one OIDC issuer for the Cluster tests; each test takes a channel of its own, so a slot of its own.</summary>
public sealed class ClusterServers : IAsyncLifetime
{
    private int _channels;

    public RedisCluster Cluster { get; private set; } = null!;

    public OidcIssuer Issuer { get; private set; } = null!;

    public string NewChannel(string name) => $"{name}-{Interlocked.Increment(ref _channels)}";

    /// <summary>The settings both modes get to use the Cluster.</summary>
    public Dictionary<string, string?> Settings(string mode) => new()
    {
        ["Valkey:Address"] = Cluster.Addresses,
        ["Valkey:Cluster"] = "true",
        ["Delivery:Mode"] = mode,
    };

    public async Task InitializeAsync()
    {
        Cluster = await RedisCluster.StartAsync();
        Issuer = await OidcIssuer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Issuer is not null)
            await Issuer.DisposeAsync();
        if (Cluster is not null)
            await Cluster.DisposeAsync();
    }
}
