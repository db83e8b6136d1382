using System.Diagnostics;

namespace Kuberollouttrigger.IntegrationTests;

public static class Wait
{
    /// <summary>The shortest time <see cref="StaysAsync"/> watches, however fast the signal came.</summary>
    public static readonly TimeSpan MinimumQuiet = TimeSpan.FromMilliseconds(250);

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test when <paramref name="timeout"/> passes first.</summary>
    /// <returns>How long the condition took to hold, the measure <see cref="StaysAsync"/> derives its bound from.</returns>
    public static Task<TimeSpan> UntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? what = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);

    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var watch = Stopwatch.StartNew();
        // Bounds only a failure, so it allows for a machine loaded many times over.
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (watch.Elapsed > limit)
                Assert.Fail($"timed out waiting for {what ?? "the condition"}");
            await Task.Delay(25);
        }
        return watch.Elapsed;
    }

    /// <summary>
    /// After a completion signal that took <paramref name="signalTook"/> to come, requires <paramref name="condition"/> to
    /// keep holding for as long again (at least <see cref="MinimumQuiet"/>): what nothing should add to (a second
    /// restart, a redelivery) would come about as late as the original did, so a slow machine watches longer instead of
    /// passing by luck. Never a sleep before counting: the count is checked first, and at every poll.
    /// </summary>
    public static async Task StaysAsync(Func<bool> condition, TimeSpan signalTook, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var bound = signalTook > MinimumQuiet ? signalTook : MinimumQuiet;
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (!condition())
                Assert.Fail($"{what} no longer held {watch.Elapsed.TotalMilliseconds:F0} ms after the signal");
            if (watch.Elapsed > bound)
                return;
            await Task.Delay(25);
        }
    }
}
