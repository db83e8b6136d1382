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
/// time they close. Joining and claiming are Lua scripts (<see cref="CoalescingScripts"/>), so a late event either
/// joins a window before it is claimed or opens the next one; no tag falls between. All keys share the installation's
/// slot (<see cref="ValkeyNames.Slotted"/>), so the scripts run on a Cluster too.
/// </summary>
public sealed class CoalescingWindows(IValkeyConnection connection, IOptions<ValkeyOptions> valkey, IOptions<CoalescingOptions> options, TimeProvider time)
{
    /// <summary>Attempts to join while other workers keep moving the image's pointer; each move is a window opened or closed.</summary>
    private const int JoinAttempts = 10;

    private readonly string _prefix = $"kuberollouttrigger:{ValkeyNames.Of(valkey.Value).Slotted}:coalesce:";

    private RedisKey DueKey => _prefix + "due";

    /// <summary>Adds the event to the open window of its image, or opens one; returns the window's id (the event's own when it opened it).</summary>
    public async Task<Guid> JoinAsync(ImageUpdated message, Guid eventId, IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(tags);
        var window = options.Value.Window;
        var db = (await connection.GetAsync()).GetDatabase();
        RedisKey pointer = _prefix + "image:" + message.Image;
        for (var attempt = 0; attempt < JoinAttempts; attempt++)
        {
            var owner = (string?)await db.StringGetAsync(pointer);
            var seen = owner ?? eventId.ToString("N");
            RedisValue[] args =
            [
                owner ?? "",
                eventId.ToString("N"),
                (long)window.TotalMilliseconds,
                (time.GetUtcNow() + window).ToUnixTimeMilliseconds(),
                JsonSerializer.Serialize(message with { EventId = eventId }),
                .. tags.Select(t => (RedisValue)t),
            ];
            var result = await db.ScriptEvaluateAsync(CoalescingScripts.Join, [pointer, DueKey, Data(seen), Tags(seen), Data(eventId), Tags(eventId)], args);
            if (!result.IsNull)
                return Guid.ParseExact((string)result!, "N");
        }
        throw new RedisException($"the coalescing window of {message.Image} kept changing over {JoinAttempts} attempts to join it");
    }

    /// <summary>Claims up to <paramref name="limit"/> closed windows for <see cref="CoalescingOptions.FlushLease"/>.</summary>
    public async Task<IReadOnlyList<DueWindow>> ClaimDueAsync(int limit)
    {
        var now = time.GetUtcNow();
        var leaseEnd = (now + options.Value.FlushLease).ToUnixTimeMilliseconds();
        var db = (await connection.GetAsync()).GetDatabase();
        var due = await db.SortedSetRangeByScoreAsync(DueKey, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: limit);
        var windows = new List<DueWindow>();
        foreach (var id in due.Select(d => (string)d!))
        {
            if (!Guid.TryParseExact(id, "N", out var windowId))
            {
                // Not a window this worker wrote: drop it rather than trip over it on every poll.
                await db.SortedSetRemoveAsync(DueKey, id);
                continue;
            }
            var result = await db.ScriptEvaluateAsync(CoalescingScripts.Claim, [DueKey, Data(id), Tags(id)], [now.ToUnixTimeMilliseconds(), leaseEnd, id]);
            if (result.IsNull)
                continue;
            var fields = (RedisResult[])result!;
            var tags = ((RedisResult[])fields[3]!).Select(t => (string)t!).Order(StringComparer.Ordinal).ToList();
            var joined = int.TryParse((string?)fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            windows.Add(new DueWindow(windowId, ReadMessage((string?)fields[0]), tags, (int)fields[1], joined));
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
        await db.ScriptEvaluateAsync(CoalescingScripts.Complete, [DueKey, Data(id), Tags(id)], [id.ToString("N")]);
    }

    public async Task RetryLaterAsync(Guid id, TimeSpan delay)
    {
        var db = (await connection.GetAsync()).GetDatabase();
        await db.SortedSetAddAsync(DueKey, id.ToString("N"), (time.GetUtcNow() + delay).ToUnixTimeMilliseconds());
    }

    private RedisKey Data(Guid id) => Data(id.ToString("N"));

    private RedisKey Data(string id) => _prefix + "window:" + id + ":data";

    private RedisKey Tags(Guid id) => Tags(id.ToString("N"));

    private RedisKey Tags(string id) => _prefix + "window:" + id + ":tags";
}
