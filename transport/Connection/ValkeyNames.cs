using StackExchange.Redis;

namespace Kuberollouttrigger.Transport.Connection;

/// <summary>
/// Where the product's keys and channels land, derived from VALKEY_CHANNEL. Outside a Cluster every name is what it
/// always was. In a Cluster (VALKEY_CLUSTER) the channel part of every name that a script or a pair of commands uses
/// together is a hash tag, <c>{channel}</c>, so they all live in the slot of the channel itself; and PubSub is sharded
/// (SSUBSCRIBE/SPUBLISH on the shard that owns that slot), so one publish reaches every subscriber on one shard and its
/// receiver count is the whole count (a plain PUBLISH counts only the subscribers of the node that took it).
/// </summary>
public sealed record ValkeyNames(string Channel, bool Cluster)
{
    public static ValkeyNames Of(ValkeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.Channel, options.Cluster);
    }

    /// <summary>The prefix of the names that share the installation's slot: <c>{channel}</c> in a Cluster, else the channel.</summary>
    public string Slotted => Cluster ? "{" + Channel + "}" : Channel;

    /// <summary>The channel carrying the events in PubSub delivery.</summary>
    public RedisChannel Events => PubSub(Channel);

    /// <summary>A PubSub channel: sharded in a Cluster, where its name picks the shard as a key's picks its slot.</summary>
    public RedisChannel PubSub(string name) => Cluster ? RedisChannel.Sharded(name) : RedisChannel.Literal(name);
}
