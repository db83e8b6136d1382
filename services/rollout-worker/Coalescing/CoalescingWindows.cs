using System.Globalization;
using System.Text.Json;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Transport.Connection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.RolloutWorker.Coalescing;

/// <summary>
/// The coalescing windows, in Valkey so every replica shares them: a pointer per image (<c>SET</c> with the window's
/// TTL) to the window of the event that opened it, the window's tag set and data, and a sorted set of windows by the
/// time they close. Joining and claiming are Lua scripts, so a late event either joins a window before it is claimed
/// or opens the next one; no tag falls between.
/// </summary>
public sealed class CoalescingWindows(IValkeyConnection connection, IOptions<ValkeyOptions> valkey, IOptions<CoalescingOptions> options, TimeProvider time)
{
    private const string JoinScript = """
        local owner = redis.call('GET', KEYS[1])
        if owner then
          local data = ARGV[4] .. owner .. ':data'
          if redis.call('HGET', data, 'state') == 'open' then
            redis.call('SADD', ARGV[4] .. owner .. ':tags', unpack(ARGV, 6))
            redis.call('HINCRBY', data, 'joined', 1)
            return owner
          end
        end
        local data = ARGV[4] .. ARGV[1] .. ':data'
        local tags = ARGV[4] .. ARGV[1] .. ':tags'
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        redis.call('HSET', data, 'message', ARGV[5], 'state', 'open', 'joined', 0, 'attempts', 0)
        redis.call('SADD', tags, unpack(ARGV, 6))
        redis.call('PEXPIRE', data, 86400000)
        redis.call('PEXPIRE', tags, 86400000)
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
        return ARGV[1]
        """;

    private const string ClaimScript = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[4])
        local out = {}
        for _, id in ipairs(ids) do
          local data = ARGV[3] .. id .. ':data'
          if redis.call('EXISTS', data) == 0 then
            redis.call('ZREM', KEYS[1], id)
          else
            redis.call('ZADD', KEYS[1], ARGV[2], id)
            redis.call('HSET', data, 'state', 'claimed')
            local attempts = redis.call('HINCRBY', data, 'attempts', 1)
            table.insert(out, {id, redis.call('HGET', data, 'message'), attempts, redis.call('HGET', data, 'joined'), redis.call('SMEMBERS', ARGV[3] .. id .. ':tags')})
          end
        end
        return out
        """;

    private readonly string _prefix = $"kuberollouttrigger:{valkey.Value.Channel}:coalesce:";

    private string DueKey => _prefix + "due";

    /// <summary>Adds the event to the open window of its image, or opens one; returns the window's id (the event's own when it opened it).</summary>
    public async Task<Guid> JoinAsync(ImageUpdated message, Guid eventId, IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(tags);
        var window = options.Value.Window;
        var closes = time.GetUtcNow() + window;
        RedisValue[] args =
        [
            eventId.ToString("N"),
            (long)window.TotalMilliseconds,
            closes.ToUnixTimeMilliseconds(),
            _prefix + "window:",
            JsonSerializer.Serialize(message with { EventId = eventId }),
            .. tags.Select(t => (RedisValue)t),
        ];
        var db = (await connection.GetAsync()).GetDatabase();
        var result = await db.ScriptEvaluateAsync(JoinScript, [_prefix + "image:" + message.Image, DueKey], args);
        return Guid.ParseExact((string)result!, "N");
    }

    /// <summary>Claims up to <paramref name="limit"/> closed windows for <see cref="CoalescingOptions.FlushLease"/>.</summary>
    public async Task<IReadOnlyList<DueWindow>> ClaimDueAsync(int limit)
    {
        var now = time.GetUtcNow();
        var db = (await connection.GetAsync()).GetDatabase();
        var result = await db.ScriptEvaluateAsync(ClaimScript, [DueKey],
            [now.ToUnixTimeMilliseconds(), (now + options.Value.FlushLease).ToUnixTimeMilliseconds(), _prefix + "window:", limit]);
        var windows = new List<DueWindow>();
        foreach (var item in (RedisResult[])result!)
        {
            var fields = (RedisResult[])item!;
            if (!Guid.TryParseExact((string?)fields[0], "N", out var id))
            {
                // Not a window this worker wrote: drop it rather than trip over it on every poll.
                await db.SortedSetRemoveAsync(DueKey, (string?)fields[0]);
                continue;
            }
            var tags = ((RedisResult[])fields[4]!).Select(t => (string)t!).Order(StringComparer.Ordinal).ToList();
            var joined = int.TryParse((string?)fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            windows.Add(new DueWindow(id, ReadMessage((string?)fields[1]), tags, (int)fields[2], joined));
        }
        return windows;
    }

    /// <summary>The window's message, or null when what Valkey holds is not one (the flusher then gives the window up).</summary>
    private static ImageUpdated? ReadMessage(string? json)
    {
        try
        {
            return json is null ? null : JsonSerializer.Deserialize<ImageUpdated>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async Task CompleteAsync(Guid id)
    {
        var db = (await connection.GetAsync()).GetDatabase();
        var window = _prefix + "window:" + id.ToString("N");
        await db.KeyDeleteAsync([window + ":data", window + ":tags"]);
        await db.SortedSetRemoveAsync(DueKey, id.ToString("N"));
    }

    public async Task RetryLaterAsync(Guid id, TimeSpan delay)
    {
        var db = (await connection.GetAsync()).GetDatabase();
        await db.SortedSetAddAsync(DueKey, id.ToString("N"), (time.GetUtcNow() + delay).ToUnixTimeMilliseconds());
    }
}
