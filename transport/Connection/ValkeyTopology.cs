using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Connection;

/// <summary>
/// Whether what the process reached is what VALKEY_CLUSTER says: a Cluster read as one Valkey would publish on plain
/// channels that count one node's subscribers, and a standalone Valkey read as a Cluster would wait on sharded channels
/// nobody publishes on. StackExchange.Redis tells the server type once a node answered.
/// </summary>
public static class ValkeyTopology
{
    /// <summary>What to fix, or null when the connected nodes are what the settings say (or none answered yet).</summary>
    public static string? Mismatch(IConnectionMultiplexer multiplexer, ValkeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(multiplexer);
        ArgumentNullException.ThrowIfNull(options);
        var connected = multiplexer.GetServers().Where(s => s.IsConnected).ToList();
        if (connected.Count == 0)
            return null;
        var isCluster = connected.Any(s => s.ServerType == ServerType.Cluster);
        return (isCluster, options.Cluster) switch
        {
            (true, false) => "VALKEY_ADDR is a Valkey Cluster: set VALKEY_CLUSTER=true (--valkey-cluster) on the web mode and the worker",
            (false, true) => "VALKEY_CLUSTER is set but VALKEY_ADDR is not a Valkey Cluster: unset VALKEY_CLUSTER, or point VALKEY_ADDR at the Cluster's nodes",
            _ => null,
        };
    }
}
