using System.Globalization;
using System.Security.Claims;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Transport.Connection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Ingress.Replay;

/// <summary>
/// Since when the replay store remembers every token it saw. A Valkey without persistence forgets the tokens when it
/// restarts, and a token used before the restart would be accepted again. So the store's start is recorded in Valkey
/// beside the token records (<c>kuberollouttrigger:{jti}:started</c>, same hash tag): when that record is missing,
/// Valkey has lost its data, and the record is written with the server's own start time (its clock minus its uptime;
/// its clock now when the server does not say), by one script that reads or writes it. A token issued at or before
/// that second may have been used already and is refused. With persistence (AOF or RDB) the record survives a restart
/// with the tokens, and nothing is refused.
/// </summary>
public sealed partial class ReplayStoreStart(IValkeyConnection connection, IOptions<ValkeyOptions> valkey, ILogger<ReplayStoreStart> logger)
{
    public const string Key = TokenReplayStore.KeyPrefix + "started";

    /// <summary>
    /// Returns {start, recorded now (1/0), from the server's uptime (1/0)}: the record, or, when it is missing (or is not a
    /// number of seconds), the server's clock minus its uptime (its clock alone when INFO is refused), written in the same
    /// step so web replicas agree.
    /// </summary>
    private const string ReadOrRecordScript = """
        local recorded = redis.call('GET', KEYS[1])
        if recorded and string.match(recorded, '^%d+$') then
          return {recorded, 0, 0}
        end
        if redis.replicate_commands then redis.replicate_commands() end
        local now = tonumber(redis.call('TIME')[1])
        local ok, info = pcall(redis.call, 'INFO', 'server')
        local uptime = ok and tonumber(string.match(info, 'uptime_in_seconds:(%d+)')) or nil
        local started = now - (uptime or 0)
        redis.call('SET', KEYS[1], started)
        return {tostring(started), 1, uptime and 1 or 0}
        """;

    /// <summary>True when the token's <c>iat</c> is at or before the store's last start (or missing).</summary>
    /// <exception cref="ValkeyUnavailableException">Valkey did not answer within the operation timeout.</exception>
    public async Task<bool> IssuedBeforeAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!long.TryParse(user.FindFirstValue(GitHubClaimNames.IssuedAt), NumberStyles.None, CultureInfo.InvariantCulture, out var issuedAt))
            return true;
        return issuedAt <= await ReadAsync(cancellationToken);
    }

    /// <summary>The store's start, in Unix seconds; recorded on first use after Valkey lost its data.</summary>
    /// <exception cref="ValkeyUnavailableException">Valkey did not answer within the operation timeout.</exception>
    public async Task<long> ReadAsync(CancellationToken cancellationToken)
    {
        var timeout = valkey.Value.OperationTimeout;
        try
        {
            var multiplexer = await connection.GetAsync().WaitAsync(timeout, cancellationToken);
            var result = (RedisResult[])(await multiplexer.GetDatabase().ScriptEvaluateAsync(ReadOrRecordScript, [Key]).WaitAsync(timeout, cancellationToken))!;
            var started = Seconds((RedisValue)result[0]) ?? throw new RedisException($"{Key} does not hold a number of seconds");
            if ((int)result[1] != 0)
                LogRecorded(logger, DateTimeOffset.FromUnixTimeSeconds(started), (int)result[2] != 0);
            return started;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new ValkeyUnavailableException($"the token store's start could not be read from Valkey: {e.GetType().Name}", e);
        }
    }

    private static long? Seconds(RedisValue value) =>
        long.TryParse((string?)value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;

    [LoggerMessage(EventId = 35, Level = LogLevel.Warning,
        Message = "The token store in Valkey starts at {Started:u} (from Valkey's uptime: {FromUptime}): tokens issued until then are refused, since Valkey may have forgotten their use (it restarted without persistence, or lost its data)")]
    private static partial void LogRecorded(ILogger logger, DateTimeOffset started, bool fromUptime);
}
