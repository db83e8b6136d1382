using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Connection;

/// <summary>The process's one Valkey connection, created on first use and reconnecting by itself.</summary>
public interface IValkeyConnection
{
    IConnectionMultiplexer Multiplexer { get; }

    bool IsConnected { get; }
}
