using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Connection;

/// <summary>
/// Owns the multiplexer. It never blocks start-up on Valkey: commands fail fast while disconnected
/// (no backlog), so callers can answer a defined status instead of hanging.
/// </summary>
public sealed class ValkeyConnection(IOptions<ValkeyOptions> options) : IValkeyConnection, IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _multiplexer = new(() => Connect(options.Value));

    public IConnectionMultiplexer Multiplexer => _multiplexer.Value;

    public bool IsConnected => _multiplexer.IsValueCreated && _multiplexer.Value.IsConnected;

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
        configuration.EndPoints.Add(options.Address);
        return configuration;
    }

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
            _multiplexer.Value.Dispose();
    }

    private static ConnectionMultiplexer Connect(ValkeyOptions options) => ConnectionMultiplexer.Connect(BuildConfiguration(options));
}
