using System.Collections.Concurrent;
using Kuberollouttrigger.Transport.Receiving;

namespace Kuberollouttrigger.UnitTests.Transport;

public sealed class KeyedDispatcherTests
{
    [Fact]
    public async Task Items_of_one_key_run_in_order_one_at_a_time()
    {
        using var dispatcher = new KeyedDispatcher(concurrency: 4, capacity: 100);
        var order = new ConcurrentQueue<int>();
        var running = 0;
        var overlap = false;

        for (var i = 0; i < 20; i++)
        {
            var n = i;
            await dispatcher.EnqueueAsync("image", async () =>
            {
                overlap |= Interlocked.Increment(ref running) > 1;
                await Task.Delay(2);
                order.Enqueue(n);
                Interlocked.Decrement(ref running);
            }, CancellationToken.None);
        }
        await dispatcher.DrainAsync();

        Assert.False(overlap);
        Assert.Equal(Enumerable.Range(0, 20), order);
    }

    [Fact]
    public async Task Different_keys_run_together_up_to_the_limit()
    {
        using var dispatcher = new KeyedDispatcher(concurrency: 3, capacity: 100);
        var running = 0;
        var peak = 0;
        var release = new TaskCompletionSource();

        for (var i = 0; i < 10; i++)
        {
            await dispatcher.EnqueueAsync($"image-{i}", async () =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                await release.Task;
                Interlocked.Decrement(ref running);
            }, CancellationToken.None);
        }
        // The limit reached is the signal; a fourth item would start about as soon as the third did, so it is given as long again.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref running) < 3 && watch.Elapsed < TimeSpan.FromSeconds(20))
            await Task.Delay(5);
        var quiet = watch.Elapsed + TimeSpan.FromMilliseconds(50);
        watch.Restart();
        while (watch.Elapsed < quiet && Volatile.Read(ref peak) == 3)
            await Task.Delay(5);
        release.SetResult();
        await dispatcher.DrainAsync();

        Assert.Equal(3, peak);
    }

    [Fact]
    public async Task A_failing_item_does_not_stop_the_next_of_its_key()
    {
        using var dispatcher = new KeyedDispatcher(concurrency: 1, capacity: 10);
        var hold = new TaskCompletionSource();
        var ran = false;

        await dispatcher.EnqueueAsync("k", async () =>
        {
            await hold.Task;
            throw new InvalidOperationException("boom");
        }, CancellationToken.None);
        await dispatcher.EnqueueAsync("k", () =>
        {
            ran = true;
            return Task.CompletedTask;
        }, CancellationToken.None);
        hold.SetResult();
        await dispatcher.DrainAsync();

        Assert.True(ran);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
