using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Kuberollouttrigger.IntegrationTests.Worker;

/// <summary>
/// Completion signals for tests over <see cref="ConsumerHarness"/>, instead of the harness's inactivity timer: that
/// timer ends a wait after a quiet spell with no bus event, and on a loaded machine one step of a consume (a Valkey
/// round trip) can be such a spell. A signal is followed by <see cref="Wait.StaysAsync"/> for what must not grow.
/// </summary>
internal static class HarnessSignals
{
    /// <summary>Waits until the event's idempotency record reads done: consumed to the end, retries included.</summary>
    public static async Task<TimeSpan> HandledAsync(this IServiceProvider provider, Guid eventId)
    {
        var configuration = provider.GetRequiredService<IConfiguration>();
        await using var valkey = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { configuration["Valkey:Address"]! }, SyncTimeout = 15_000, AsyncTimeout = 15_000,
        });
        var records = new WorkerRecords(valkey, configuration["Valkey:Channel"]!);
        return await Wait.UntilAsync(() => records.IsHandledAsync(eventId), what: "the event handled");
    }

    /// <summary>Waits until the consumer's fault was published: the message was refused for good.</summary>
    public static Task<TimeSpan> FaultedAsync(this ITestHarness harness) =>
        Wait.UntilAsync(() => harness.Faults() > 0, what: "the fault published");

    /// <summary>Faults published so far, without waiting for more.</summary>
    public static int Faults(this ITestHarness harness) => harness.Published.Select<Fault<ImageUpdated>>(Now).Count();

    /// <summary>Messages consumed so far, without waiting for more.</summary>
    public static int ConsumedCount(this ITestHarness harness) => harness.Consumed.Select<ImageUpdated>(Now).Count();

    /// <summary>A cancelled token: the harness's lists then return what they hold instead of waiting.</summary>
    private static CancellationToken Now => new(canceled: true);
}
