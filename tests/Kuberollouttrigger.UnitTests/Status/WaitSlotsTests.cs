using Kuberollouttrigger.Ingress.Decisions;
using Kuberollouttrigger.Ingress.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.UnitTests.Status;

public sealed class WaitSlotsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public void A_repository_gets_its_share_the_process_its_total_and_returned_slots_are_free_again()
    {
        var slots = Slots(maxWaits: 5, perRepository: 2);

        var a1 = Take(slots, "acme/a");
        var a2 = Take(slots, "ACME/A");
        Assert.Equal(RefusalCause.RepositoryWaitsFull, slots.TryTake("acme/a").Refused!.Cause);
        var others = new[] { Take(slots, "acme/b"), Take(slots, "acme/b"), Take(slots, "acme/c") };
        var full = slots.TryTake("acme/d").Refused!;

        Assert.Equal(RefusalCause.WaitsFull, full.Cause);
        Assert.Equal(10, full.RetryAfterSeconds);
        a1.Dispose();
        a1.Dispose();
        Assert.NotNull(slots.TryTake("acme/d").Slot);
        Assert.Equal(RefusalCause.WaitsFull, slots.TryTake("acme/a").Refused!.Cause);
        a2.Dispose();
        foreach (var slot in others)
            slot.Dispose();
        Assert.NotNull(slots.TryTake("acme/a").Slot);
    }

    [Fact]
    public void Any_repository_name_is_a_key_and_many_threads_never_hold_more_than_the_total()
    {
        var slots = Slots(maxWaits: 100, perRepository: 100_000);
        var held = 0;
        var maximum = 0;

        Parallel.For(0, 20_000, i =>
        {
            var (slot, _) = slots.TryTake(i % 3 == 0 ? "" : new string((char)('a' + i % 26), i % 300));
            if (slot is null)
                return;
            var now = Interlocked.Increment(ref held);
            InterlockedMax(ref maximum, now);
            Interlocked.Decrement(ref held);
            slot.Dispose();
        });

        Assert.InRange(maximum, 1, 100);
        for (var i = 0; i < 100; i++)
            Assert.NotNull(slots.TryTake("acme/x" + i).Slot);
    }

    public void Dispose() => _services.Dispose();

    private WaitSlots Slots(int maxWaits, int perRepository) =>
        new(Options.Create(new EventWaitOptions { MaxWaits = maxWaits, MaxWaitsPerRepository = perRepository }), _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    private static IDisposable Take(WaitSlots slots, string repository) =>
        slots.TryTake(repository).Slot ?? throw new InvalidOperationException($"no slot for {repository}");

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
