using System.Globalization;
using Kuberollouttrigger.Testing.Processes;
using StackExchange.Redis;

namespace Kuberollouttrigger.Testing.Redis;

/// <summary>
/// A real three-node Valkey/Redis Cluster on loopback: three primaries started by pid (cluster bus ports chosen free
/// too), joined with <c>redis-cli --cluster create</c>, each owning a third of the slots. Disposing stops every node,
/// and a failed start stops the nodes it had started.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private readonly List<ChildProcess> _nodes = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("krt-cluster-").FullName;

    private RedisCluster()
    {
    }

    public IReadOnlyList<int> Ports { get; private set; } = [];

    /// <summary>Every node, comma-separated, as VALKEY_ADDR takes them.</summary>
    public string Addresses => string.Join(',', Ports.Select(p => $"127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}"));

    public static async Task<RedisCluster> StartAsync(int nodes = 3)
    {
        var cluster = new RedisCluster();
        try
        {
            await cluster.CreateAsync(nodes);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client that follows the cluster's slots, as the product's is.</summary>
    public async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var options = new ConfigurationOptions { AbortOnConnectFail = false, ConnectTimeout = 2000 };
        foreach (var port in Ports)
            options.EndPoints.Add("127.0.0.1", port);
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
            node.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A node's files may still be closing; the temporary directory is left behind.
        }
        return ValueTask.CompletedTask;
    }

    private async Task CreateAsync(int count)
    {
        var ports = Enumerable.Range(0, count).Select(_ => FreePort.Next()).ToList();
        Ports = ports;
        foreach (var port in ports)
        {
            var p = port.ToString(CultureInfo.InvariantCulture);
            _nodes.Add(ChildProcess.Start(RedisTools.Server(),
            [
                "--port", p, "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-port", FreePort.Next().ToString(CultureInfo.InvariantCulture),
                "--cluster-config-file", Path.Combine(_directory, $"nodes-{p}.conf"), "--cluster-node-timeout", "2000", "--dir", _directory,
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning",
            ]));
        }
        foreach (var port in ports)
            await RedisProbe.WaitUntilAnswersAsync($"127.0.0.1:{port}", null, _nodes[ports.IndexOf(port)]);

        using (var create = ChildProcess.Start(RedisTools.Cli(), ["--cluster", "create", .. ports.Select(p => $"127.0.0.1:{p}"), "--cluster-replicas", "0", "--cluster-yes"]))
        {
            create.CloseInput();
            var exit = await create.WaitForExitAsync(TimeSpan.FromSeconds(60));
            if (exit != 0)
                throw new InvalidOperationException($"redis-cli --cluster create failed ({exit}):\n{create.Output}");
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await IsFormedAsync())
        {
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException("the cluster never reported cluster_state:ok on every node with all 16384 slots");
            await Task.Delay(50);
        }
    }

    /// <summary>Every node reports the cluster ok with every slot assigned and knows every other node.</summary>
    private async Task<bool> IsFormedAsync()
    {
        foreach (var port in Ports)
        {
            await using var node = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { $"127.0.0.1:{port}" }, AbortOnConnectFail = true, ConnectTimeout = 1000, AllowAdmin = true });
            var info = (string?)await node.GetServer($"127.0.0.1:{port}").ExecuteAsync("CLUSTER", "INFO") ?? "";
            if (!info.Contains("cluster_state:ok", StringComparison.Ordinal)
                || !info.Contains("cluster_slots_ok:16384", StringComparison.Ordinal)
                || !info.Contains($"cluster_known_nodes:{Ports.Count}", StringComparison.Ordinal))
                return false;
        }
        return true;
    }
}
