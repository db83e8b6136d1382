namespace Kuberollouttrigger.Ingress.Abuse;

/// <summary>
/// Events per repository in a fixed one-minute window. A unit is reserved before an event is published and given back
/// when the attempt published nothing (an earlier attempt had, the token was used for another event, nobody listened,
/// Valkey failed), so the budget counts events that went out, and concurrent retries of one token spend it once.
/// </summary>
public sealed class EventBudget(int perMinute, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, Usage> _usage = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    /// <summary>Reserves one unit for <paramref name="repository"/>; false (with when to retry) when none is left.</summary>
    public bool TryReserve(string repository, out EventReservation reservation, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        reservation = EventReservation.None;
        if (perMinute <= 0)
            return true;
        var key = (repository ?? "").ToLowerInvariant();
        var now = time.GetUtcNow();
        lock (_gate)
        {
            Sweep(now);
            if (!_usage.TryGetValue(key, out var usage) || now >= usage.Start + Window)
                usage = new Usage(now, 0);
            if (usage.Used >= perMinute)
            {
                retryAfter = usage.Start + Window - now;
                return false;
            }
            _usage[key] = usage with { Used = usage.Used + 1 };
            reservation = new EventReservation(key, usage.Start);
            return true;
        }
    }

    /// <summary>Gives back a unit the attempt did not use; nothing when its window has ended since.</summary>
    public void Release(EventReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.Key is null)
            return;
        lock (_gate)
        {
            if (_usage.TryGetValue(reservation.Key, out var usage) && usage.Start == reservation.WindowStart && usage.Used > 0)
                _usage[reservation.Key] = usage with { Used = usage.Used - 1 };
        }
    }

    /// <summary>Once a window: forgets repositories whose window ended, so the table holds only this minute's.</summary>
    private void Sweep(DateTimeOffset now)
    {
        if (now < _nextSweep)
            return;
        _nextSweep = now + Window;
        foreach (var (key, usage) in _usage)
        {
            if (now >= usage.Start + Window)
                _usage.Remove(key);
        }
    }

    private readonly record struct Usage(DateTimeOffset Start, int Used);
}
