using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.Transport.Connection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>
/// Shared record of which replica handles which event, in Valkey: <c>SET key owner NX PX ttl</c> claims it,
/// the value <c>done</c> marks it handled. Every replica receives every PubSub message; this is how exactly one acts.
/// </summary>
public sealed class EventClaims(IValkeyConnection connection, IOptions<ValkeyOptions> valkey, WorkerIdentity identity)
{
    private const string Done = "done";
    private readonly string _prefix = $"kuberollouttrigger:{valkey.Value.Channel}:event:";

    public async Task<ClaimResult> TryClaimAsync(Guid eventId, TimeSpan ttl)
    {
        var db = (await connection.GetAsync()).GetDatabase();
        var key = Key(eventId);
        if (await db.StringSetAsync(key, identity.Id, ttl, When.NotExists))
            return ClaimResult.Claimed;

        var holder = await db.StringGetAsync(key);
        if (holder == identity.Id)
        {
            await db.KeyExpireAsync(key, ttl);
            return ClaimResult.OwnRetry;
        }
        return holder == Done ? ClaimResult.AlreadyDone : ClaimResult.HeldByOther;
    }

    /// <summary>
    /// Takes over an event held by a replica whose stream entry this replica claimed after the holder went silent;
    /// a compare-and-set on the holder, so an event marked done meanwhile is never taken.
    /// </summary>
    public async Task<bool> TakeOverAsync(Guid eventId, TimeSpan ttl)
    {
        var db = (await connection.GetAsync()).GetDatabase();
        var key = Key(eventId);
        var holder = await db.StringGetAsync(key);
        if (holder.IsNull || holder == Done)
            return false;
#pragma warning disable SER301 // SET ... IFEQ needs Valkey/Redis 8.4; WATCH + MULTI works on every supported server.
        var transaction = db.CreateTransaction();
        transaction.AddCondition(Condition.StringEqual(key, holder));
        _ = transaction.StringSetAsync(key, identity.Id, ttl);
#pragma warning restore SER301
        return await transaction.ExecuteAsync();
    }

    /// <summary>
    /// Gives the event up: this replica's claim is removed (a compare-and-delete on the holder, so a claim another replica
    /// took over meanwhile stays), and the next delivery of the event, a replay included, is handled.
    /// </summary>
    public async Task ReleaseAsync(Guid eventId)
    {
        await (await connection.GetAsync()).GetDatabase().LockReleaseAsync(Key(eventId), identity.Id);
    }

    public async Task MarkDoneAsync(Guid eventId, TimeSpan remember) =>
        await (await connection.GetAsync()).GetDatabase().StringSetAsync(Key(eventId), Done, remember);

    private string Key(Guid eventId) => _prefix + eventId.ToString("N");
}
