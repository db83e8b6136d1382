using Kuberollouttrigger.Testing.Processes;
using StackExchange.Redis;

namespace Kuberollouttrigger.Testing.Redis;

/// <summary>
/// A real redis-server (or valkey-server) on a free loopback port, started and stopped by pid.
/// It can be stopped and started again on the same port to simulate a Valkey restart.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private ChildProcess? _process;
    private DirectoryInfo? _directory;

    private readonly string? _password;
    private readonly string[] _extraArguments;

    private RedisServer(int port, string? password, string[]? extraArguments = null)
    {
        Port = port;
        _password = password;
        _extraArguments = extraArguments ?? [];
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <param name="password">When set, the server requires it (requirepass), as a production Valkey would.</param>
    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        var server = new RedisServer(FreePort.Next(), password);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>
    /// A server that keeps its data across <see cref="Stop"/> and <see cref="StartAgainAsync"/> in an append-only file
    /// (appendfsync always), as a Valkey with persistence does across a restart.
    /// </summary>
    public static async Task<RedisServer> StartPersistentAsync()
    {
        var directory = Directory.CreateTempSubdirectory("krt-aof-");
        var server = new RedisServer(FreePort.Next(), null, ["--appendonly", "yes", "--appendfsync", "always", "--dir", directory.FullName]);
        server._directory = directory;
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>
    /// A one-node Valkey Cluster holding every slot: commands and scripts are checked as a cluster checks them (a
    /// script whose keys hash to different slots fails with CROSSSLOT), and clients see a cluster.
    /// </summary>
    public static async Task<RedisServer> StartClusterNodeAsync()
    {
        var port = FreePort.Next();
        var directory = Directory.CreateTempSubdirectory("krt-cluster-");
        var server = new RedisServer(port, null, ["--cluster-enabled", "yes", "--cluster-config-file", $"nodes-{port}.conf", "--dir", directory.FullName]);
        server._directory = directory;
        await server.StartAgainAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { server.Address }, AllowAdmin = true });
        var node = connection.GetServer(server.Address);
        await node.ExecuteAsync("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!((string?)await node.ExecuteAsync("CLUSTER", "INFO") ?? "").Contains("cluster_state:ok", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"the cluster node on {server.Address} did not become ready");
            await Task.Delay(50);
        }
        return server;
    }

    public static string Executable() => RedisTools.Server();

    public async Task StartAgainAsync()
    {
        if (IsRunning)
            return;
        _process?.Dispose();
        string[] arguments = ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning"];
        arguments = [.. arguments, .. _extraArguments];
        _process = ChildProcess.Start(Executable(), _password is null ? arguments : [.. arguments, "--requirepass", _password]);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { Address }, ConnectTimeout = 500, AbortOnConnectFail = true, Password = _password });
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (RedisConnectionException e)
            {
                throw new InvalidOperationException($"redis-server did not start on {Address}: {_process.Output}", e);
            }
        }
    }

    /// <summary>Kills the server by pid; clients see the connection drop.</summary>
    public void Stop()
    {
        _process?.Stop();
    }

    /// <summary>A test's own client; its command timeouts bound only a failure, so they allow for a loaded machine.</summary>
    public async Task<ConnectionMultiplexer> ConnectAsync() =>
        await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { Address }, AbortOnConnectFail = false, ConnectTimeout = 2000, SyncTimeout = 15_000, AsyncTimeout = 15_000, Password = _password,
        });

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        _directory?.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
