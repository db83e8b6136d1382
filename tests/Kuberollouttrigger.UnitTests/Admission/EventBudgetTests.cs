using Kuberollouttrigger.Ingress.Abuse;

namespace Kuberollouttrigger.UnitTests.Admission;

public sealed class EventBudgetTests
{
    private readonly SettableClock _clock = new();

    [Fact]
    public void Reserved_units_run_out_and_come_back_with_the_next_window()
    {
        var budget = new EventBudget(2, _clock);

        Assert.True(budget.TryReserve("acme/app", out _, out _));
        Assert.True(budget.TryReserve("ACME/App", out _, out _));
        Assert.False(budget.TryReserve("acme/app", out _, out var retryAfter));
        Assert.True(budget.TryReserve("acme/other", out _, out _));
        Assert.Equal(TimeSpan.FromMinutes(1), retryAfter);

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(budget.TryReserve("acme/app", out _, out retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(budget.TryReserve("acme/app", out _, out _));
    }

    [Fact]
    public void A_released_unit_can_be_reserved_again_in_its_window()
    {
        var budget = new EventBudget(1, _clock);
        Assert.True(budget.TryReserve("acme/app", out var reservation, out _));

        budget.Release(reservation);

        Assert.True(budget.TryReserve("acme/app", out _, out _));
        Assert.False(budget.TryReserve("acme/app", out _, out _));
    }

    [Fact]
    public void A_unit_released_after_its_window_ended_gives_nothing_to_the_next()
    {
        var budget = new EventBudget(1, _clock);
        Assert.True(budget.TryReserve("acme/app", out var old, out _));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(budget.TryReserve("acme/app", out _, out _));

        budget.Release(old);

        Assert.False(budget.TryReserve("acme/app", out _, out _));
    }

    [Fact]
    public void Zero_is_no_limit()
    {
        var budget = new EventBudget(0, _clock);

        for (var i = 0; i < 1_000; i++)
            Assert.True(budget.TryReserve("acme/app", out _, out _));
    }

    private sealed class SettableClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
