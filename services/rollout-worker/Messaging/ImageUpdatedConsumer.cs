using System.Collections.Concurrent;
using System.Diagnostics;
using Kuberollouttrigger.Common.Images;
using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.RolloutWorker.Rollouts;
using Kuberollouttrigger.RolloutWorker.Telemetry;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>
/// Restarts the workloads (of the enabled kinds) that use the updated image. Re-validates the message with the
/// ingress's rules (and its authorization policy, when the worker is given one) first, so a forged message can reach
/// only matching workloads in the allowed namespaces. Workloads that failed transiently make the attempt fail (and
/// MassTransit retry it); those already finished are not touched again.
/// </summary>
public sealed partial class ImageUpdatedConsumer(
    IWorkloadIndex index,
    IWorkloadRestarter restarter,
    EventProgress progress,
    ConsumerMetrics metrics,
    RequestPolicy policy,
    EventStatusReporter status,
    IOptions<WorkerOptions> workerOptions,
    IOptions<RolloutOptions> rolloutOptions,
    TimeProvider time,
    ILogger<ImageUpdatedConsumer> logger) : IConsumer<ImageUpdated>
{
    private readonly ImageUpdateRules _rules = new(workerOptions.Value.AllowedImagePrefix);

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

        // Workloads finished in an earlier attempt of this event keep their outcome and are not patched again.
        var done = progress.Done(eventId).Values.ToList();
        var results = new ConcurrentBag<WorkloadResult>(done);
        var pending = matches.Where(m => !done.Any(d => d.Workload == m.Workload)).ToList();
        var transientFailures = 0;
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = rolloutOptions.Value.MaxParallelRestarts, CancellationToken = context.CancellationToken },
            async (match, ct) =>
            {
                if (await HandleAsync(match, message, audit, ct) is not { } result)
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

        await status.HandledAsync(eventId, results, context.CancellationToken);

        progress.Forget(eventId);
        metrics.Consumed();
        LogEvent(logger, eventId, message.Image, string.Join(',', tags), repository, matches.Count,
            results.Count(r => r.Outcome is WorkloadOutcome.Restarted or WorkloadOutcome.DryRun),
            results.Count(r => r.Outcome is WorkloadOutcome.SkippedDigest or WorkloadOutcome.SkippedPaused or WorkloadOutcome.Ignored),
            results.Count(r => r.Outcome is WorkloadOutcome.Forbidden or WorkloadOutcome.NotFound));
    }

    private IReadOnlyList<string> Validate(ImageUpdated message, Guid eventId)
    {
        var error = message.Image is null ? "image is missing" : _rules.CheckImage(message.Image);
        var tags = message.Tags is null ? new TagCheck([], "tags are missing") : ImageUpdateRules.CheckTags(message.Tags);
        error ??= tags.Error;
        error ??= PolicyRecheck.Check(policy, message, workerOptions.Value.AllowedImagePrefix);
        if (error is null)
            return tags.UniqueTags;
        metrics.Invalid();
        LogInvalid(logger, eventId, error);
        throw new RejectedMessageException(error);
    }

    private async Task<WorkloadResult?> HandleAsync(WorkloadMatch match, ImageUpdated message, RestartAudit audit, CancellationToken cancellationToken)
    {
        var (workload, eventId) = (match.Workload, audit.EventId);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["namespace"] = workload.Namespace, ["kind"] = workload.Kind.Label, ["workload"] = workload.Name });
        using var activity = WorkerTelemetry.Source.StartActivity("restart " + workload.Kind.Label);
        activity?.SetTag("k8s.namespace.name", workload.Namespace);
        activity?.SetTag(workload.Kind.TraceAttribute, workload.Name);

        WorkloadResult result;
        try
        {
            result = WorkloadResult.Of(workload, match.Skip ?? await restarter.RestartAsync(workload, audit, cancellationToken));
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
        LogWorkload(logger, eventId, workload.Kind.Label, workload.Namespace, workload.Name, result.Outcome.Label(), result.Reason);
        return result.IsFinal ? result : null;
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information,
        Message = "Event {EventId}: image {Image} tags {Tags} from {Repository}: {Matched} matched, {Restarted} restarted, {Skipped} skipped, {Failed} failed")]
    private static partial void LogEvent(ILogger logger, Guid eventId, string image, string tags, string repository, int matched, int restarted, int skipped, int failed);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Event {EventId}: {Kind} {Namespace}/{Workload} {Outcome}: {Reason}")]
    private static partial void LogWorkload(ILogger logger, Guid eventId, string kind, string @namespace, string workload, string outcome, string reason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Refused message {EventId}: {Reason}")]
    private static partial void LogInvalid(ILogger logger, Guid eventId, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Event {EventId}: image {Image}: {Pending} workload(s) failed transiently; the event will be retried")]
    private static partial void LogEventRetrying(ILogger logger, Guid eventId, string image, int pending);
}
