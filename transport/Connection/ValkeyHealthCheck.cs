using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Connection;

/// <summary>Ready while Valkey answers a PING and is the kind of Valkey the settings say (a Cluster or not).</summary>
public sealed class ValkeyHealthCheck(IValkeyConnection connection, IOptions<ValkeyOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var multiplexer = await connection.GetAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            var latency = await multiplexer.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return ValkeyTopology.Mismatch(multiplexer, options.Value) is { } mismatch
                ? HealthCheckResult.Unhealthy(mismatch)
                : HealthCheckResult.Healthy($"valkey answered in {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("valkey unreachable: " + e.GetType().Name);
        }
    }
}
