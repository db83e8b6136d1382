using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Transport.Connection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.Ingress.Replay;

/// <summary>
/// Remembers each token's jti in Valkey for as long as the token could still be accepted, so a captured token cannot
/// start a second event and a client retry gets the first attempt's event id. The record says "delivered" only once
/// a worker received the event, so a retry after 502, 503 or 429 publishes the same event again under the same id.
/// </summary>
public sealed class TokenReplayStore(IValkeyConnection connection, IOptions<ValkeyOptions> valkey, IOptions<GitHubOidcOptions> oidc, TimeProvider time)
{
    /// <summary>Every token record and <see cref="ReplayStoreStart"/>'s record share the hash tag, so on a Valkey Cluster they live (and are lost) together.</summary>
    public const string KeyPrefix = "kuberollouttrigger:{jti}:";

    /// <exception cref="ValkeyUnavailableException">Valkey did not answer within the operation timeout.</exception>
    public async Task<ReplayVerdict> BeginAsync(ClaimsPrincipal user, Guid newEventId, string fingerprint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var key = Key(user);
        var first = new ReplayRecord(newEventId, fingerprint, Published: false);
        return await RunAsync(async db =>
        {
            if (await db.StringSetAsync(key, first.Format(), Remaining(user), When.NotExists).WaitAsync(Timeout, cancellationToken))
                return new ReplayVerdict(ReplayKind.FirstUse, newEventId);
            var existing = ReplayRecord.Parse(await db.StringGetAsync(key).WaitAsync(Timeout, cancellationToken));
            return existing switch
            {
                // Expired between the two commands: the token is about to be refused anyway; treat it as new.
                null => new ReplayVerdict(ReplayKind.FirstUse, newEventId),
                _ when existing.Fingerprint != fingerprint => new ReplayVerdict(ReplayKind.OtherEvent, existing.EventId),
                { Published: true } => new ReplayVerdict(ReplayKind.RetryDelivered, existing.EventId),
                _ => new ReplayVerdict(ReplayKind.RetryUndelivered, existing.EventId),
            };
        }, cancellationToken);
    }

    /// <summary>Marks the token's event delivered, keeping the record's expiry.</summary>
    /// <exception cref="ValkeyUnavailableException">Valkey did not answer within the operation timeout.</exception>
    public Task MarkDeliveredAsync(ClaimsPrincipal user, Guid eventId, string fingerprint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var key = Key(user);
        var record = new ReplayRecord(eventId, fingerprint, Published: true).Format();
        return RunAsync(db => db.StringSetAsync(key, record, null, keepTtl: true, When.Exists).WaitAsync(Timeout, cancellationToken), cancellationToken);
    }

    private TimeSpan Timeout => valkey.Value.OperationTimeout;

    private async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> command, CancellationToken cancellationToken)
    {
        try
        {
            var multiplexer = await connection.GetAsync().WaitAsync(Timeout, cancellationToken);
            return await command(multiplexer.GetDatabase());
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new ValkeyUnavailableException($"the token check in Valkey failed: {e.GetType().Name}", e);
        }
    }

    private static RedisKey Key(ClaimsPrincipal user)
    {
        // Hashed: a jti is the caller's text; the key stays short and free of anything they chose.
        var identity = user.FindFirstValue("iss") + "\n" + user.FindFirstValue(GitHubClaimNames.TokenId);
        return KeyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
    }

    /// <summary>Until the token can no longer be accepted: its expiry plus the clock skew, or its maximum age, whichever is first.</summary>
    private TimeSpan Remaining(ClaimsPrincipal user)
    {
        var options = oidc.Value;
        var now = time.GetUtcNow();
        var until = now + options.MaxTokenAge + options.ClockSkew;
        if (Seconds(user, GitHubClaimNames.Expires) is { } exp)
            until = Min(until, DateTimeOffset.FromUnixTimeSeconds(exp) + options.ClockSkew);
        if (Seconds(user, GitHubClaimNames.IssuedAt) is { } iat)
            until = Min(until, DateTimeOffset.FromUnixTimeSeconds(iat) + options.MaxTokenAge + options.ClockSkew);
        var remaining = until - now;
        return remaining < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : remaining;
    }

    private static long? Seconds(ClaimsPrincipal user, string claim) =>
        long.TryParse(user.FindFirstValue(claim), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
        && value < DateTimeOffset.MaxValue.ToUnixTimeSeconds() ? value : null;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
