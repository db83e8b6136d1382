using System.Collections.Concurrent;

namespace Kuberollouttrigger.Ingress.Abuse;

/// <summary>
/// A budget of <c>limit</c> units per key and fixed window (the window of a key starts with its first unit), whose
/// units can be reserved before the work they pay for and given back when it turns out not to cost one. Keys whose
/// window has ended are swept once a window, so idle addresses cost no memory.
/// </summary>
public sealed class FixedWindowBudget(int limit, TimeSpan window, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <summary>True when <paramref name="key"/> has no unit left in its window; nothing is spent by asking.</summary>
    public bool IsSpent(string key, out TimeSpan retryAfter)
    {
        var now = time.GetTimestamp();
        if (!_counters.TryGetValue(key, out var counter))
        {
            retryAfter = TimeSpan.Zero;
            return false;
        }
        lock (counter)
        {
            counter.Roll(now, window, time);
            retryAfter = counter.Left(now, window, time);
            return counter.Spent >= limit;
        }
    }

    /// <summary>Spends one unit when one is left (false, with when the window ends, otherwise); <paramref name="unit"/> gives it back.</summary>
    public bool TryReserve(string key, out BudgetUnit? unit, out TimeSpan retryAfter)
    {
        var now = time.GetTimestamp();
        Sweep(now);
        var counter = _counters.GetOrAdd(key, _ => new Counter(now));
        lock (counter)
        {
            counter.Roll(now, window, time);
            retryAfter = counter.Left(now, window, time);
            if (counter.Spent >= limit)
            {
                unit = null;
                return false;
            }
            counter.Spent++;
            unit = new BudgetUnit(counter, counter.Started);
            return true;
        }
    }

    /// <summary>Spends one unit, whether or not any is left (a failure that already happened).</summary>
    public void Spend(string key)
    {
        var now = time.GetTimestamp();
        Sweep(now);
        var counter = _counters.GetOrAdd(key, _ => new Counter(now));
        lock (counter)
        {
            counter.Roll(now, window, time);
            counter.Spent = Math.Min(counter.Spent + 1, limit);
        }
    }

    private void Sweep(long now)
    {
        var next = Interlocked.Read(ref _nextSweep);
        if (now < next || Interlocked.CompareExchange(ref _nextSweep, now + (long)(window.TotalSeconds * time.TimestampFrequency), next) != next)
            return;
        foreach (var (key, counter) in _counters)
        {
            lock (counter)
            {
                if (time.GetElapsedTime(counter.Started, now) >= window)
                    _counters.TryRemove(new KeyValuePair<string, Counter>(key, counter));
            }
        }
    }

    /// <summary>One key's window: when it started and how much of it is spent.</summary>
    internal sealed class Counter(long started)
    {
        public long Started { get; private set; } = started;

        public int Spent { get; set; }

        public void Roll(long now, TimeSpan window, TimeProvider time)
        {
            if (time.GetElapsedTime(Started, now) < window)
                return;
            Started = now;
            Spent = 0;
        }

        public TimeSpan Left(long now, TimeSpan window, TimeProvider time) => window - time.GetElapsedTime(Started, now);
    }
}
