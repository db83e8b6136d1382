using Kuberollouttrigger.Testing.Processes;
using Kuberollouttrigger.Testing.Redis;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>The real <c>kuberollouttrigger worker</c> executable reading a stream (claiming entries idle for 2 s), ready to be killed by pid.</summary>
public static class StreamWorkerProcess
{
    /// <summary>Starts it on <paramref name="channel"/> against the fake API of <paramref name="kubeconfig"/> and waits until it is ready.</summary>
    public static async Task<ChildProcess> StartAsync(RedisServer redis, string channel, string kubeconfig, int? maxParallelRestarts = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var port = FreePort.Next();
        var process = HostProcess.Start(["worker", "--health-addr", $"127.0.0.1:{port}"], new Dictionary<string, string?>
        {
            ["VALKEY_ADDR"] = redis.Address,
            ["VALKEY_CHANNEL"] = channel,
            ["ALLOWED_IMAGE_PREFIX"] = "ghcr.io/acme",
            ["KUBECONFIG"] = kubeconfig,
            ["DELIVERY_MODE"] = "stream",
            ["STREAM_CLAIM_IDLE"] = "2s",
            ["MAX_PARALLEL_RESTARTS"] = maxParallelRestarts?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        try
        {
            await HostProcess.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/readyz"), process);
            return process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }
}
