namespace Kuberollouttrigger.RolloutWorker.Coalescing;

/// <summary>
/// The Lua of <see cref="CoalescingWindows"/>. Every key a script touches comes in KEYS (never built inside), so a
/// Cluster can route it and check that they share a slot; what a script cannot know in advance (the window a pointer
/// names, whether a window is still due) the caller read first and the script checks again, returning nil when it changed.
/// </summary>
internal static class CoalescingScripts
{
    /// <summary>
    /// KEYS: image pointer, due set, the pointed window's data and tags, the new window's data and tags.
    /// ARGV: the window the caller saw the pointer name ('' for none), the new window's id, window ms, closing time,
    /// message, tags... Returns the window joined or opened, or nil when the pointer moved since it was read.
    /// </summary>
    public const string Join = """
        local owner = redis.call('GET', KEYS[1])
        if (owner or '') ~= ARGV[1] then
          return nil
        end
        if owner and redis.call('HGET', KEYS[3], 'state') == 'open' then
          redis.call('SADD', KEYS[4], unpack(ARGV, 6))
          redis.call('HINCRBY', KEYS[3], 'joined', 1)
          return owner
        end
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        redis.call('HSET', KEYS[5], 'message', ARGV[5], 'state', 'open', 'joined', 0, 'attempts', 0)
        redis.call('SADD', KEYS[6], unpack(ARGV, 6))
        redis.call('PEXPIRE', KEYS[5], 86400000)
        redis.call('PEXPIRE', KEYS[6], 86400000)
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
        return ARGV[2]
        """;

    /// <summary>
    /// KEYS: due set, the window's data and tags. ARGV: now, lease end, window id. Claims the window until the lease
    /// ends when it is still due: returns {message, attempts, joined, tags}; nil when another worker claimed it first
    /// or it is gone (then it leaves the due set).
    /// </summary>
    public const string Claim = """
        local due = redis.call('ZSCORE', KEYS[1], ARGV[3])
        if not due or tonumber(due) > tonumber(ARGV[1]) then
          return nil
        end
        if redis.call('EXISTS', KEYS[2]) == 0 then
          redis.call('ZREM', KEYS[1], ARGV[3])
          return nil
        end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
        redis.call('HSET', KEYS[2], 'state', 'claimed')
        local attempts = redis.call('HINCRBY', KEYS[2], 'attempts', 1)
        return {redis.call('HGET', KEYS[2], 'message'), attempts, redis.call('HGET', KEYS[2], 'joined'), redis.call('SMEMBERS', KEYS[3])}
        """;

    /// <summary>KEYS: due set, the window's data and tags. ARGV: window id. The window is done: gone from all three.</summary>
    public const string Complete = """
        redis.call('DEL', KEYS[2], KEYS[3])
        redis.call('ZREM', KEYS[1], ARGV[1])
        return 1
        """;
}
