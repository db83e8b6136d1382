using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Streams;

/// <summary>Creates the consumer group (and an empty stream with it) unless it exists; safe to call from every process.</summary>
public static class ConsumerGroup
{
    /// <returns>True when this call created the group, false when it existed.</returns>
    public static async Task<bool> EnsureAsync(IDatabaseAsync database, string stream, string group)
    {
        ArgumentNullException.ThrowIfNull(database);
        try
        {
            // "$": a group made now starts after what the stream holds. The stream only exists without the group when
            // someone else made it; the web mode never does (XADD without MKSTREAM creates the group first).
            return await database.StreamCreateConsumerGroupAsync(stream, group, StreamPosition.NewMessages, createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            return false;
        }
    }

    public static bool IsMissingGroup(RedisServerException exception) =>
        exception?.Message.StartsWith("NOGROUP", StringComparison.Ordinal) == true;
}
