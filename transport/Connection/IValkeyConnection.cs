using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Connection;

/// <summary>The process's one Valkey connection, created on first use and reconnecting by itself.</summary>
public interface IValkeyConnection
{
    /// <summary>The multiplexer; the first call connects (without blocking a thread), later calls return at once.</summary>
    Task<IConnectionMultiplexer> GetAsync();

    bool IsConnected { get; }
}
