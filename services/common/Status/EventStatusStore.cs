using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.Transport.Connection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Common.Status;

/// <summary>
/// Event status records in Valkey: the JSON of <see cref="EventStatus"/> under <c>kuberollouttrigger:&lt;channel&gt;:status:&lt;id&gt;</c>
/// with a TTL, and after every write the event id PUBLISHed on <c>&lt;channel&gt;:status</c> so waiters need not poll.
/// </summary>
public sealed class EventStatusStore(IValkeyConnection connection, IOptions<ValkeyOptions> options)
{
    private readonly string _prefix = $"kuberollouttrigger:{options.Value.Channel}:status:";
    private readonly TimeSpan _timeout = options.Value.OperationTimeout;

    /// <summary>The channel that carries the id of every event whose status changed.</summary>
    public RedisChannel NotificationChannel { get; } = StatusChannel(ValkeyNames.Of(options.Value));

    public async Task WriteAsync(EventStatus status, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var multiplexer = await connection.GetAsync().WaitAsync(_timeout, cancellationToken);
        var db = multiplexer.GetDatabase();
        await db.StringSetAsync(Key(status.EventId), EventStatusJson.Serialize(status), ttl).WaitAsync(_timeout, cancellationToken);
        await db.PublishAsync(NotificationChannel, status.EventId.ToString("N")).WaitAsync(_timeout, cancellationToken);
    }

    /// <summary>The recorded status, or null when there is none (never written, expired, or not a status record).</summary>
    public async Task<EventStatus?> ReadAsync(Guid eventId, CancellationToken cancellationToken)
    {
        var multiplexer = await connection.GetAsync().WaitAsync(_timeout, cancellationToken);
        var value = await multiplexer.GetDatabase().StringGetAsync(Key(eventId)).WaitAsync(_timeout, cancellationToken);
        return value.IsNull ? null : EventStatusJson.Deserialize((byte[])value!);
    }

    /// <summary>Reads an event id from a notification; null when it is not one.</summary>
    public static Guid? ParseNotification(RedisValue message) =>
        Guid.TryParseExact(message.ToString(), "N", out var id) ? id : null;

    /// <summary><c>&lt;channel&gt;:status</c>; in a Cluster the sharded <c>{&lt;channel&gt;}:status</c>. A record's key is its own, spread over the slots.</summary>
    private static RedisChannel StatusChannel(ValkeyNames names) => names.PubSub(names.Slotted + ":status");

    private RedisKey Key(Guid eventId) => _prefix + eventId.ToString("N");
}
