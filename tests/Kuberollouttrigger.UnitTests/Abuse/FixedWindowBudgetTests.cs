using Kuberollouttrigger.Ingress.Abuse;

namespace Kuberollouttrigger.UnitTests.Abuse;

public sealed class FixedWindowBudgetTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [Fact]
    public void Units_are_reserved_until_none_is_left_and_a_given_back_unit_can_be_reserved_again()
    {
        var clock = new SteppedClock();
        var budget = new FixedWindowBudget(3, Window, clock);
        var units = new List<BudgetUnit?>();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(budget.TryReserve("a", out var unit, out _));
            units.Add(unit);
        }

        Assert.False(budget.TryReserve("a", out _, out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), Window);
        Assert.True(budget.IsSpent("a", out _));
        Assert.False(budget.IsSpent("b", out _));
        units[0]!.GiveBack();
        units[0]!.GiveBack();
        Assert.False(budget.IsSpent("a", out _));
        Assert.True(budget.TryReserve("a", out _, out _));
        Assert.False(budget.TryReserve("a", out _, out _));
    }

    [Fact]
    public void A_new_window_starts_full_and_a_unit_of_the_old_one_given_back_late_changes_nothing()
    {
        var clock = new SteppedClock();
        var budget = new FixedWindowBudget(1, Window, clock);
        Assert.True(budget.TryReserve("a", out var old, out _));
        Assert.False(budget.TryReserve("a", out _, out _));

        clock.Advance(Window + TimeSpan.FromSeconds(1));
        Assert.True(budget.TryReserve("a", out _, out _));
        old!.GiveBack();

        Assert.True(budget.IsSpent("a", out _));
    }

    [Fact]
    public void Spending_a_failure_that_happened_never_goes_below_zero_or_above_the_limit()
    {
        var clock = new SteppedClock();
        var budget = new FixedWindowBudget(2, Window, clock);
        for (var i = 0; i < 10; i++)
            budget.Spend("a");

        Assert.True(budget.IsSpent("a", out _));
        clock.Advance(Window);
        Assert.False(budget.IsSpent("a", out _));
    }

    [Fact]
    public void Many_threads_never_reserve_more_than_the_limit()
    {
        var budget = new FixedWindowBudget(30, Window, TimeProvider.System);
        var reserved = 0;

        Parallel.For(0, 10_000, i =>
        {
            if (budget.TryReserve("burst", out _, out _))
                Interlocked.Increment(ref reserved);
        });

        Assert.Equal(30, reserved);
    }

    [Fact]
    public void Addresses_idle_for_a_window_are_swept()
    {
        var clock = new SteppedClock();
        var budget = new FixedWindowBudget(1, Window, clock);
        for (var i = 0; i < 1000; i++)
            budget.Spend($"10.0.{i / 256}.{i % 256}");
        clock.Advance(Window + Window);

        budget.Spend("192.0.2.1");

        // Only the new address is left: the sweep ran on the first call of the new window.
        Assert.False(budget.IsSpent("10.0.0.1", out _));
        Assert.True(budget.IsSpent("192.0.2.1", out _));
    }

    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks = TimeSpan.FromHours(1).Ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
