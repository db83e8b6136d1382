using Kuberollouttrigger.Testing.Processes;
using StackExchange.Redis;

namespace Kuberollouttrigger.Testing.Redis;

/// <summary>Waits for a started server (a node or a Sentinel) to answer PING.</summary>
public static class RedisProbe
{
    public static async Task WaitUntilAnswersAsync(string address, string? password, ChildProcess process, bool sentinel = false, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                var options = new ConfigurationOptions { EndPoints = { address }, ConnectTimeout = 500, AbortOnConnectFail = true, Password = password, CommandMap = sentinel ? CommandMap.Sentinel : CommandMap.Default };
                await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
                await connection.GetServer(address).PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (RedisConnectionException e)
            {
                throw new InvalidOperationException($"the server on {address} did not start: {process.Output}", e);
            }
        }
    }
}
