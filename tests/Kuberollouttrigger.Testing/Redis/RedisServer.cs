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

    private readonly string? _password;

    private RedisServer(int port, string? password)
    {
        Port = port;
        _password = password;
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

    public static string Executable() => RedisTools.Server();

    public async Task StartAgainAsync()
    {
        if (IsRunning)
            return;
        _process?.Dispose();
        string[] arguments = ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning"];
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
        return ValueTask.CompletedTask;
    }
}
