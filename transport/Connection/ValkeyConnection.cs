using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Connection;

/// <summary>
/// Owns the multiplexer, to one Valkey, the primary the Sentinels name, or a Cluster. It never blocks start-up on
/// Valkey: commands fail fast while disconnected (no backlog), so callers can answer a defined status instead of hanging.
/// </summary>
public sealed partial class ValkeyConnection : IValkeyConnection, IDisposable
{
    public const string MeterName = "Kuberollouttrigger.Valkey";

    private readonly Lazy<Task<IConnectionMultiplexer>> _multiplexer;
    private readonly ILogger<ValkeyConnection> _logger;

    public ValkeyConnection(IOptions<ValkeyOptions> options, IMeterFactory meterFactory, ILogger<ValkeyConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _logger = logger;
        _multiplexer = new(() => ConnectAsync(options.Value));
        meterFactory.Create(MeterName).CreateObservableGauge("kuberollouttrigger.valkey.connected", () => IsConnected ? 1 : 0, "{connection}",
            "1 while the Valkey connection is up");
    }

    public Task<IConnectionMultiplexer> GetAsync() => _multiplexer.Value;

    public bool IsConnected => _multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully && _multiplexer.Value.Result.IsConnected;

    public static ConfigurationOptions BuildConfiguration(ValkeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var timeout = (int)options.OperationTimeout.TotalMilliseconds;
        var configuration = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = timeout,
            SyncTimeout = timeout,
            AsyncTimeout = timeout,
            ConnectRetry = 1,
            KeepAlive = 5,
            ReconnectRetryPolicy = new ExponentialRetry(250, 5000),
            ClientName = options.ClientName,
            User = string.IsNullOrEmpty(options.Username) ? null : options.Username,
            Password = string.IsNullOrEmpty(options.Password) ? null : options.Password,
            Ssl = options.UseTls,
        };
        // One endpoint is a standalone Valkey, several the nodes of a Cluster (StackExchange.Redis finds the rest and
        // follows slot moves) or, with a service name, the Sentinels, which StackExchange.Redis asks for the primary
        // and follows through a failover. The user, password and TLS apply to the Sentinels too.
        foreach (var endpoint in options.Endpoints)
            configuration.EndPoints.Add(endpoint);
        if (options.IsSentinel)
            configuration.ServiceName = options.SentinelMaster;
        return configuration;
    }

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully)
            _multiplexer.Value.Result.Dispose();
    }

    private async Task<IConnectionMultiplexer> ConnectAsync(ValkeyOptions options)
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(BuildConfiguration(options));
        // Said once at start; readiness (ValkeyHealthCheck) keeps saying it while it lasts.
        if (ValkeyTopology.Mismatch(multiplexer, options) is { } mismatch)
            LogTopologyMismatch(_logger, mismatch);
        return multiplexer;
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Error, Message = "{Mismatch}")]
    private static partial void LogTopologyMismatch(ILogger logger, string mismatch);
}
