using System.Security.Cryptography;
using System.Text;
using Kuberollouttrigger.Common.Images;
using Kuberollouttrigger.RolloutWorker.Validation;
using Kuberollouttrigger.Transport.Publishing;
using Kuberollouttrigger.Transport.Receiving;
using MassTransit.Transports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.RolloutWorker.Coalescing;

/// <summary>
/// Every replica looks for closed windows every <see cref="CoalescingOptions.PollInterval"/>; the one whose claim
/// succeeds restarts the window's union of tags once, as a message through the same MassTransit endpoint (retry,
/// idempotency, consumer), with an id derived from the window. A replica that dies mid-restart leaves the window to
/// another after <see cref="CoalescingOptions.FlushLease"/>; a failed restart is tried again later, and given up loudly
/// after <see cref="CoalescingOptions.MaxFlushAttempts"/>. A window whose restart <see cref="MessageRules"/> refuses
/// (the policy, or the prefix, changed since it opened; or someone who can write to Valkey wrote it) is given up at
/// once, loudly: no later attempt changes that.
/// </summary>
public sealed partial class CoalescingFlusher(
    CoalescingWindows windows,
    IReceiveEndpointDispatcher dispatcher,
    MessageRules rules,
    CoalescingMetrics metrics,
    IOptions<CoalescingOptions> options,
    TimeProvider time,
    ILogger<CoalescingFlusher> logger) : BackgroundService
{
    private static readonly Uri Source = new("valkey:kuberollouttrigger-worker/coalescing");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
            return;
        using var timer = new PeriodicTimer(o.PollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    foreach (var window in await windows.ClaimDueAsync(16))
                        await FlushAsync(window, o, stoppingToken);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    LogValkeyFailed(logger, e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task FlushAsync(DueWindow window, CoalescingOptions o, CancellationToken stoppingToken)
    {
        var chunks = window.Tags.Chunk(ImageUpdateRules.MaxTags).ToList();
        var owner = window.Owner;
        var refusal = owner is null ? "the window's message cannot be read"
            : chunks.Select(c => rules.Check(owner with { Tags = c })).FirstOrDefault(c => c.IsRefused)?.Refusal;
        if (refusal is not null || owner is null)
        {
            metrics.Abandoned();
            LogRefused(logger, window.Id, owner?.Image ?? "-", string.Join(',', window.Tags), refusal ?? "");
            await windows.CompleteAsync(window.Id);
            return;
        }
        try
        {
            for (var i = 0; i < chunks.Count; i++)
            {
                var id = FlushId(window.Id, i);
                var message = owner with { EventId = id, Tags = chunks[i] };
                // Each attempt is one delivery of the window's message: a later one is a redelivery, which may take over the
                // claim of a replica that died while restarting this window.
                var headers = TransportHeaders.For(id, MessageEnvelopeWriter.ContentType, window.Attempts);
                headers[CoalescingHeaders.Window] = window.Id.ToString();
                await dispatcher.Dispatch(MessageEnvelopeWriter.Write(message, id, Source, Source), headers, stoppingToken);
            }
            await windows.CompleteAsync(window.Id);
            metrics.Flushed();
            LogFlushed(logger, window.Id, owner.Image, string.Join(',', window.Tags), window.Joined + 1);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Left claimed: another replica restarts it after the lease.
        }
#pragma warning disable CA1031 // Whatever failed, the window is kept and tried again, or given up loudly.
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            if (window.Attempts >= o.MaxFlushAttempts)
            {
                metrics.Abandoned();
                LogAbandoned(logger, window.Id, owner.Image, string.Join(',', window.Tags), window.Attempts, e.GetType().Name, e.Message);
                await windows.CompleteAsync(window.Id);
                return;
            }
            var delay = TimeSpan.FromSeconds(Math.Min(60, 5 * window.Attempts));
            LogRetrying(logger, window.Id, owner.Image, window.Attempts, e.GetType().Name, e.Message, delay.TotalSeconds);
            await windows.RetryLaterAsync(window.Id, delay);
        }
    }

    /// <summary>The same id on every replica and every attempt, so the idempotency filter restarts each window once.</summary>
    private static Guid FlushId(Guid window, int chunk) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"coalesced:{window:N}:{chunk}")).AsSpan(0, 16));

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Coalescing window {WindowId} closed: image {Image} tags {Tags} restarted once for {Events} event(s)")]
    private static partial void LogFlushed(ILogger logger, Guid windowId, string image, string tags, int events);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Coalescing window {WindowId} (image {Image}) failed attempt {Attempt}: {ErrorType}: {Error}; trying again in {DelaySeconds:F0} s")]
    private static partial void LogRetrying(ILogger logger, Guid windowId, string image, int attempt, string errorType, string error, double delaySeconds);

    [LoggerMessage(EventId = 412, Level = LogLevel.Error, Message = "Coalescing window {WindowId} (image {Image} tags {Tags}) given up after {Attempts} attempts: {ErrorType}: {Error}")]
    private static partial void LogAbandoned(ILogger logger, Guid windowId, string image, string tags, int attempts, string errorType, string error);

    [LoggerMessage(EventId = 414, Level = LogLevel.Error, Message = "Coalescing window {WindowId} (image {Image} tags {Tags}) refused, not retried: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid windowId, string image, string tags, string reason);

    [LoggerMessage(EventId = 413, Level = LogLevel.Warning, Message = "Could not look for closed coalescing windows ({ErrorType}); trying again")]
    private static partial void LogValkeyFailed(ILogger logger, string errorType);
}
