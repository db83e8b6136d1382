using System.Globalization;
using Kuberollouttrigger.Testing.Processes;
using StackExchange.Redis;

namespace Kuberollouttrigger.Testing.Redis;

/// <summary>
/// A real Sentinel-managed Valkey/Redis on loopback: a primary, one replica and three Sentinels (quorum 2), every one
/// started by pid and password-protected, the Sentinels too. The primary can be killed by pid; the Sentinels then
/// promote the replica after <see cref="DownAfter"/>. Disposing stops every process, and a failed start stops those
/// it had started.
/// </summary>
public sealed class RedisSentinelSet : IAsyncDisposable
{
    public const string ServiceName = "krtprimary";

    /// <summary>How long the Sentinels wait before they call an unanswering primary down.</summary>
    public static readonly TimeSpan DownAfter = TimeSpan.FromSeconds(1);

    private readonly List<ChildProcess> _processes = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("krt-sentinel-").FullName;
    private readonly List<ConnectionMultiplexer> _watchers = [];
    private ChildProcess? _primary;

    private RedisSentinelSet(string password) => Password = password;

    public string Password { get; }

    public int PrimaryPort { get; private set; }

    public int ReplicaPort { get; private set; }

    public IReadOnlyList<int> SentinelPorts { get; private set; } = [];

    /// <summary>The Sentinels, comma-separated, as VALKEY_ADDR takes them with VALKEY_SENTINEL_MASTER.</summary>
    public string SentinelAddresses => string.Join(',', SentinelPorts.Select(p => Address(p)));

    public static async Task<RedisSentinelSet> StartAsync(string password = "sentinel-test-password")
    {
        var set = new RedisSentinelSet(password);
        try
        {
            await set.CreateAsync();
            return set;
        }
        catch
        {
            await set.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the primary by pid (SIGKILL: no goodbye to clients, replicas or Sentinels).</summary>
    public void KillPrimary() => _primary?.Stop();

    /// <summary>
    /// Listens on every Sentinel for the replica's promotion (<c>+promoted-slave</c>, or <c>+switch-master</c> should that
    /// come first); call it before <see cref="KillPrimary"/>. The task ends with the time the first announcement arrived.
    /// </summary>
    public async Task<Task<DateTimeOffset>> WatchPromotionAsync()
    {
        var promoted = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var port in SentinelPorts)
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
            {
                EndPoints = { Address(port) }, Password = Password, CommandMap = CommandMap.Sentinel, AbortOnConnectFail = true, ConnectTimeout = 1000,
            });
            _watchers.Add(connection);
            foreach (var channel in new[] { "+promoted-slave", "+switch-master" })
            {
                await connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel), (_, message) =>
                {
                    if (message.ToString().Contains(" " + Port(ReplicaPort), StringComparison.Ordinal))
                        promoted.TrySetResult(DateTimeOffset.UtcNow);
                });
            }
        }
        return promoted.Task;
    }

    /// <summary>A plain client of the current primary (not through the Sentinels), for the test's own reads.</summary>
    public async Task<ConnectionMultiplexer> ConnectToPrimaryAsync()
    {
        var port = await PrimaryPortSeenByAsync(SentinelPorts[0]) ?? PrimaryPort;
        return await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { Address(port) }, Password = Password, AbortOnConnectFail = false, ConnectTimeout = 2000 });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var watcher in _watchers)
            await watcher.DisposeAsync();
        foreach (var process in _processes)
            process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A Sentinel may still be rewriting its file; the temporary directory is left behind.
        }
    }

    private async Task CreateAsync()
    {
        PrimaryPort = FreePort.Next();
        ReplicaPort = FreePort.Next();
        SentinelPorts = [FreePort.Next(), FreePort.Next(), FreePort.Next()];
        _primary = StartNode(PrimaryPort);
        await RedisProbe.WaitUntilAnswersAsync(Address(PrimaryPort), Password, _primary);
        var replica = StartNode(ReplicaPort, "--replicaof", "127.0.0.1", Port(PrimaryPort));
        await RedisProbe.WaitUntilAnswersAsync(Address(ReplicaPort), Password, replica);
        await WaitUntilAsync(async () => (await InfoAsync(ReplicaPort, "replication")).Contains("master_link_status:up", StringComparison.Ordinal), "the replica to sync");

        foreach (var port in SentinelPorts)
        {
            var file = Path.Combine(_directory, $"sentinel-{Port(port)}.conf");
            // A Sentinel rewrites its file as it learns; each gets its own. Down after 1 s, failover within 10 s.
            await File.WriteAllLinesAsync(file,
            [
                $"port {Port(port)}",
                "bind 127.0.0.1",
                $"dir {_directory}",
                $"requirepass {Password}",
                $"sentinel sentinel-pass {Password}",
                $"sentinel monitor {ServiceName} 127.0.0.1 {Port(PrimaryPort)} 2",
                $"sentinel auth-pass {ServiceName} {Password}",
                $"sentinel down-after-milliseconds {ServiceName} {(int)DownAfter.TotalMilliseconds}",
                $"sentinel failover-timeout {ServiceName} 10000",
                $"sentinel parallel-syncs {ServiceName} 1",
                "loglevel warning",
            ]);
            var sentinel = ChildProcess.Start(RedisTools.Sentinel(), [file]);
            _processes.Add(sentinel);
            await RedisProbe.WaitUntilAnswersAsync(Address(port), Password, sentinel, sentinel: true);
        }
        // A failover needs a quorum that knows the replica and each other; they learn both through the primary.
        await WaitUntilAsync(async () =>
        {
            foreach (var port in SentinelPorts)
            {
                var master = await SentinelAsync(port, "MASTER", ServiceName);
                if (Field(master, "num-slaves") != "1" || Field(master, "num-other-sentinels") != "2")
                    return false;
            }
            return true;
        }, "the Sentinels to know the replica and each other");
    }

    private ChildProcess StartNode(int port, params string[] extra)
    {
        var process = ChildProcess.Start(RedisTools.Server(),
        [
            "--port", Port(port), "--bind", "127.0.0.1", "--requirepass", Password, "--masterauth", Password, "--dir", _directory,
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning", .. extra,
        ]);
        _processes.Add(process);
        return process;
    }

    private async Task<int?> PrimaryPortSeenByAsync(int sentinelPort)
    {
        try
        {
            var address = await SentinelAsync(sentinelPort, "GET-MASTER-ADDR-BY-NAME", ServiceName);
            return address.Length == 2 && int.TryParse(address[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
        }
        catch (RedisException)
        {
            return null;
        }
    }

    private async Task<string[]> SentinelAsync(int port, params object[] arguments)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { Address(port) }, Password = Password, CommandMap = CommandMap.Sentinel, AbortOnConnectFail = true, ConnectTimeout = 1000, AllowAdmin = true,
        });
        var result = await connection.GetServer(Address(port)).ExecuteAsync("SENTINEL", arguments);
        return result.IsNull ? [] : ((RedisResult[])result!).Select(r => (string?)r ?? "").ToArray();
    }

    private async Task<string> InfoAsync(int port, string section)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { Address(port) }, Password = Password, AbortOnConnectFail = true, ConnectTimeout = 1000, AllowAdmin = true });
        return (string?)await connection.GetServer(Address(port)).ExecuteAsync("INFO", section) ?? "";
    }

    private static string? Field(string[] pairs, string name)
    {
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            if (pairs[i] == name)
                return pairs[i + 1];
        }
        return null;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string Address(int port) => "127.0.0.1:" + Port(port);
}
