using System.Collections.Concurrent;
using System.Diagnostics;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Rollouts;
using Kuberollouttrigger.RolloutWorker.Telemetry;
using Kuberollouttrigger.RolloutWorker.Validation;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>
/// Restarts the workloads (of the enabled kinds) that use the updated image. Re-validates the message with the
/// ingress's rules (and its authorization policy, when the worker is given one: <see cref="MessageRules"/>) first, so
/// a forged message can reach only matching workloads in the allowed namespaces. Workloads that failed transiently make the attempt fail (and
/// MassTransit retry it); those already finished are not touched again.
/// </summary>
public sealed partial class ImageUpdatedConsumer(
    IWorkloadIndex index,
    IWorkloadRestarter restarter,
    EventProgress progress,
    ConsumerMetrics metrics,
    MessageRules rules,
    EventStatusReporter status,
    IOptions<RolloutOptions> rolloutOptions,
    IOptions<ClusterOptions> clusterOptions,
    TimeProvider time,
    ILogger<ImageUpdatedConsumer> logger) : IConsumer<ImageUpdated>
{
    public async Task Consume(ConsumeContext<ImageUpdated> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        var eventId = message.EventId != Guid.Empty ? message.EventId : context.MessageId ?? Guid.Empty;
        var repository = message.TriggeredBy?.Repository ?? "-";
        var audit = new RestartAudit(eventId, message.TriggeredBy?.Repository, message.TriggeredBy?.Sha, message.TriggeredBy?.RunId);
        if (context.GetRetryAttempt() > 0)
            metrics.Retry();

        var tags = Validate(message, eventId);
        status.Received(eventId, message);
        if (!index.IsSynced)
            throw new IndexNotReadyException();

        IReadOnlyList<WorkloadMatch> matches;
        using (var matchActivity = WorkerTelemetry.Source.StartActivity("match workloads"))
        {
            matches = index.Match(message.Image, tags);
            matchActivity?.SetTag("kuberollouttrigger.index.size", index.Count);
            matchActivity?.SetTag("kuberollouttrigger.matches", matches.Count);
        }

        // Workloads finished in an earlier attempt of this event keep their outcome and are not patched again; on a
        // redelivery or a retry, another delivery may have patched one after the index last saw it.
        var indexMayBeStale = context.ReceiveContext.Redelivered || context.GetRetryAttempt() > 0;
        var done = progress.Done(eventId).Values.ToList();
        var results = new ConcurrentBag<WorkloadResult>(done);
        var pending = matches.Where(m => !done.Any(d => d.Workload == m.Workload)).ToList();
        var transientFailures = 0;
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = rolloutOptions.Value.MaxParallelRestarts, CancellationToken = context.CancellationToken },
            async (match, ct) =>
            {
                if (await HandleAsync(match, message, audit, indexMayBeStale, ct) is not { } result)
                {
                    Interlocked.Increment(ref transientFailures);
                    return;
                }
                progress.Record(eventId, result);
                results.Add(result);
            });

        if (transientFailures > 0)
        {
            LogEventRetrying(logger, eventId, message.Image, transientFailures);
            throw new TransientKubernetesException($"{transientFailures} workload(s) failed transiently");
        }

        var noMatch = matches.Count == 0 ? NoMatchReason.For(message.Image, tags, index.NearMisses(message.Image), clusterOptions.Value) : null;
        await status.HandledAsync(eventId, results, noMatch, context.CancellationToken);

        progress.Forget(eventId);
        metrics.Consumed();
        LogSummary(eventId, message.Image, string.Join(',', tags), repository, matches.Count, results, noMatch);
    }

    /// <summary>
    /// The event's one summary line: what matched and became of it; under DRY_RUN what would have restarted; when
    /// nothing matched, why. A warning when a workload failed.
    /// </summary>
    private void LogSummary(Guid eventId, string image, string tags, string repository, int matched, ConcurrentBag<WorkloadResult> results, string? noMatch)
    {
        var skipped = results.Count(r => r.Outcome is WorkloadOutcome.SkippedDigest or WorkloadOutcome.SkippedPaused or WorkloadOutcome.Ignored);
        var failed = results.Count(r => r.Outcome is WorkloadOutcome.Forbidden or WorkloadOutcome.NotFound);
        if (noMatch is not null)
            LogNoMatch(logger, eventId, image, tags, repository, noMatch);
        else if (clusterOptions.Value.DryRun)
            LogDryRunEvent(logger, failed > 0 ? LogLevel.Warning : LogLevel.Information, eventId, image, tags, repository, matched,
                results.Count(r => r.Outcome is WorkloadOutcome.DryRun), skipped, failed);
        else
            LogEvent(logger, failed > 0 ? LogLevel.Warning : LogLevel.Information, eventId, image, tags, repository, matched,
                results.Count(r => r.Outcome.IsRestartByThisEvent()), skipped, failed);
    }

    private IReadOnlyList<string> Validate(ImageUpdated message, Guid eventId)
    {
        var check = rules.Check(message);
        if (!check.IsRefused)
            return check.Tags;
        metrics.Invalid();
        LogInvalid(logger, eventId, check.Refusal!);
        throw new RejectedMessageException(check.Refusal!);
    }

    private async Task<WorkloadResult?> HandleAsync(WorkloadMatch match, ImageUpdated message, RestartAudit audit, bool indexMayBeStale, CancellationToken cancellationToken)
    {
        var (workload, eventId) = (match.Workload, audit.EventId);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["namespace"] = workload.Namespace, ["kind"] = workload.Kind.Label, ["name"] = workload.Name });
        using var activity = WorkerTelemetry.Source.StartActivity("restart " + workload.Kind.Label);
        activity?.SetTag("k8s.namespace.name", workload.Namespace);
        activity?.SetTag(workload.Kind.TraceAttribute, workload.Name);

        WorkloadResult result;
        try
        {
            result = WorkloadResult.Of(workload, match.Skip
                ?? (await restarter.AlreadyRestartedAsync(match, eventId, indexMayBeStale, cancellationToken) ? WorkloadOutcome.AlreadyRestarted : (WorkloadOutcome?)null)
                ?? await restarter.RestartAsync(workload, audit, cancellationToken));
            if (result.Outcome is WorkloadOutcome.Restarted or WorkloadOutcome.DryRun && match.PullPolicyWarning is { } warning)
                result = result with { Reason = $"{result.Reason}; {warning}" };
        }
        catch (TransientKubernetesException e)
        {
            result = new WorkloadResult(workload, WorkloadOutcome.Failed,
                $"{e.Message} (status {e.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}); will retry");
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
        }

        activity?.SetTag("kuberollouttrigger.outcome", result.Outcome.Label());
        metrics.Workload(workload.Kind, result.Outcome);
        if (result.Outcome == WorkloadOutcome.Restarted && message.RequestedAt != default)
            metrics.EventToRestart(time.GetUtcNow() - message.RequestedAt);
        var level = result.Outcome is WorkloadOutcome.Forbidden or WorkloadOutcome.NotFound or WorkloadOutcome.Failed || match.PullPolicyWarning is not null && match.Skip is null
            ? LogLevel.Warning
            : LogLevel.Information;
        LogWorkload(logger, level, eventId, workload.Kind.Label, workload.Namespace, workload.Name, result.Outcome.Label(), result.Reason);
        return result.IsFinal ? result : null;
    }

    [LoggerMessage(EventId = 200,
        Message = "Event {EventId}: image {Image} tags {Tags} from {Repository}: {Matched} matched, {Restarted} restarted, {Skipped} skipped, {Failed} failed")]
    private static partial void LogEvent(ILogger logger, LogLevel level, Guid eventId, string image, string tags, string repository, int matched, int restarted, int skipped, int failed);

    [LoggerMessage(EventId = 204,
        Message = "Event {EventId}: image {Image} tags {Tags} from {Repository}: DRY_RUN: {Matched} matched, {WouldRestart} would restart (nothing patched), {Skipped} skipped, {Failed} failed")]
    private static partial void LogDryRunEvent(ILogger logger, LogLevel level, Guid eventId, string image, string tags, string repository, int matched, int wouldRestart, int skipped, int failed);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "Event {EventId}: image {Image} tags {Tags} from {Repository}: 0 matched: {Reason}")]
    private static partial void LogNoMatch(ILogger logger, Guid eventId, string image, string tags, string repository, string reason);

    [LoggerMessage(EventId = 201, Message = "Event {EventId}: {Kind} {Namespace}/{Name} {Outcome}: {Reason}")]
    private static partial void LogWorkload(ILogger logger, LogLevel level, Guid eventId, string kind, string @namespace, string name, string outcome, string reason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Refused message {EventId}: {Reason}")]
    private static partial void LogInvalid(ILogger logger, Guid eventId, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Event {EventId}: image {Image}: {Pending} workload(s) failed transiently; the event will be retried")]
    private static partial void LogEventRetrying(ILogger logger, Guid eventId, string image, int pending);
}
