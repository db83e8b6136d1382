using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Publishing;

/// <summary>
/// The one server-side script an accepted event costs: it reads the <see cref="OnceRecord"/>, and unless an earlier
/// attempt settles the request, publishes (PUBLISH on the channel, or XADD to the stream plus the wake-up PUBLISH) and
/// writes the record with its "delivered" mark, atomically. Nothing can run between the check and the publish, so
/// concurrent attempts with one record publish once, and a record is never left without its publish.
/// </summary>
/// <remarks>
/// Every key it touches comes in KEYS, built by the caller, never inside the script: <c>KEYS[1]</c> the record and, in
/// stream mode, <c>KEYS[2]</c> the stream. On a Valkey Cluster both must hash to one slot, which is why a record beside
/// a stream carries the stream's hash tag (<see cref="KeySlot.KeyBeside"/>). Channels are not keys: they come in ARGV;
/// in a Cluster they are shard channels (SPUBLISH) named in the same slot as the keys, since a script runs on one shard.
/// The record is kept as <c>v1|id|fingerprint|0 or 1</c>, the format earlier versions wrote, so records survive an upgrade.
/// </remarks>
internal static class PublishOnceScript
{
    public const string PublishMode = "publish";
    public const string CheckMode = "check";

    // ARGV: 1 mode, 2 message id (empty to check), 3 fingerprint, 4 record lifetime in ms, 5 channel (PubSub: the
    // event's; stream: the wake-up), 6 body, 7 content type, 8 stream MAXLEN ~, 9 '1' if an unheard PUBLISH counts as delivered,
    // 10 the publish command: PUBLISH, or SPUBLISH in a Cluster.
    private const string Lua = """
        local record = redis.call('GET', KEYS[1])
        local known = false
        if record then
          local id, fingerprint, delivered = string.match(record, '^v1|(%x+)|(%x+)|([01])$')
          if id and #id == 32 then
            if fingerprint ~= ARGV[3] then return {'conflict', id} end
            if delivered == '1' then return {'delivered', id} end
            if id ~= ARGV[2] then return {'pending', id} end
            known = true
          end
        end
        if ARGV[1] ~= 'publish' then return {'unrecorded', ''} end
        local listeners
        local mark = '1'
        if #KEYS == 2 then
          if redis.call('EXISTS', KEYS[2]) == 0 then return {'no-stream', ''} end
          local entry = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[8], '*', 'body', ARGV[6], 'content-type', ARGV[7])
          listeners = redis.call(ARGV[10], ARGV[5], entry)
        else
          listeners = redis.call(ARGV[10], ARGV[5], ARGV[6])
          if listeners == 0 and ARGV[9] ~= '1' then mark = '0' end
        end
        local value = 'v1|' .. ARGV[2] .. '|' .. ARGV[3] .. '|' .. mark
        if known then
          redis.call('SET', KEYS[1], value, 'KEEPTTL')
        else
          redis.call('SET', KEYS[1], value, 'PX', ARGV[4])
        end
        return {'published', ARGV[2], listeners}
        """;

    /// <summary>What the script answered: its verdict, the record's message id (empty when none), and the PUBLISH count.</summary>
    public readonly record struct Answer(string Verdict, string MessageId, long Listeners);

    public static async Task<Answer> RunAsync(IDatabaseAsync database, RedisKey[] keys, string mode, Guid messageId, OnceRecord record,
        string channel, bool sharded, ReadOnlyMemory<byte> body, string contentType, long maxLength)
    {
        RedisValue[] arguments =
        [
            mode,
            messageId == Guid.Empty ? "" : messageId.ToString("N"),
            record.Fingerprint,
            (long)Math.Ceiling(record.Lifetime.TotalMilliseconds),
            channel,
            body,
            contentType,
            maxLength,
            record.UnheardCountsAsDelivered ? "1" : "0",
            sharded ? "SPUBLISH" : "PUBLISH",
        ];
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(Lua, keys, arguments))!;
        return new Answer((string)result[0]!, (string?)result[1] ?? "", result.Length > 2 ? (long)result[2] : 0);
    }
}
