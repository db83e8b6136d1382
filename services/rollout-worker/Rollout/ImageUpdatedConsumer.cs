using System.Collections.Concurrent;
using System.Diagnostics;
using Kuberollouttrigger.Common.Images;
using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.RolloutWorker.Kubernetes;
using Kuberollouttrigger.RolloutWorker.Status;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Rollout;

/// <summary>
/// Restarts the workloads (of the enabled kinds) that use the updated image. Re-validates the message with the
/// ingress's rules (and its authorization policy, when the worker is given one) first, so a forged message can reach
/// only matching workloads in the allowed namespaces. Workloads that failed transiently make the attempt fail (and
/// MassTransit retry it); those already finished are not touched again.
/// </summary>
public sealed partial class ImageUpdatedConsumer(
    IWorkloadIndex index,
    IWorkloadRestarter restarter,
    RolloutProgress progress,
    RolloutMetrics metrics,
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
        using (var matchActivity = RolloutTelemetry.Source.StartActivity("match workloads"))
        {
            matches = index.Match(message.Image, tags);
            matchActivity?.SetTag("kuberollouttrigger.index.size", index.Count);
            matchActivity?.SetTag("kuberollouttrigger.matches", matches.Count);
        }

        // Workloads finished in an earlier attempt of this event keep their outcome and are not patched again.
        var done = progress.Done(eventId).Values.ToList();
        var outcomes = new ConcurrentBag<WorkloadOutcome>(done);
        var pending = matches.Where(m => !done.Any(d => d.Workload == m.Workload)).ToList();
        var transientFailures = 0;
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = rolloutOptions.Value.MaxParallelRestarts, CancellationToken = context.CancellationToken },
            async (match, ct) =>
            {
                if (await HandleAsync(match, message, audit, ct) is not { } outcome)
                {
                    Interlocked.Increment(ref transientFailures);
                    return;
                }
                progress.Record(eventId, outcome);
                outcomes.Add(outcome);
            });

        if (transientFailures > 0)
        {
            LogEventRetrying(logger, eventId, message.Image, transientFailures);
            throw new TransientKubernetesException($"{transientFailures} workload(s) failed transiently");
        }

        await status.HandledAsync(eventId, outcomes, context.CancellationToken);
        var counts = outcomes.GroupBy(o => o.Outcome).ToDictionary(g => g.Key, g => g.Count());

        progress.Forget(eventId);
        metrics.Consumed();
        LogEvent(logger, eventId, message.Image, string.Join(',', tags), repository, matches.Count,
            counts.GetValueOrDefault(WorkloadOutcome.Restarted) + counts.GetValueOrDefault(WorkloadOutcome.DryRun),
            counts.GetValueOrDefault(WorkloadOutcome.SkippedDigest) + counts.GetValueOrDefault(WorkloadOutcome.SkippedPaused) + counts.GetValueOrDefault(WorkloadOutcome.Ignored),
            counts.GetValueOrDefault(WorkloadOutcome.Forbidden) + counts.GetValueOrDefault(WorkloadOutcome.NotFound));
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

    private async Task<WorkloadOutcome?> HandleAsync(WorkloadMatch match, ImageUpdated message, RestartAudit audit, CancellationToken cancellationToken)
    {
        var (workload, eventId) = (match.Workload, audit.EventId);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["namespace"] = workload.Namespace, ["kind"] = workload.Kind.Label, ["workload"] = workload.Name });
        using var activity = RolloutTelemetry.Source.StartActivity("restart " + workload.Kind.Label);
        activity?.SetTag("k8s.namespace.name", workload.Namespace);
        activity?.SetTag(workload.Kind.TraceAttribute, workload.Name);

        WorkloadOutcome outcome;
        if (match.Decision != MatchDecision.Restart)
        {
            outcome = WorkloadOutcome.Skipped(match);
        }
        else
        {
            try
            {
                outcome = WorkloadOutcome.From(workload, await restarter.RestartAsync(workload, audit, cancellationToken));
            }
            catch (TransientKubernetesException e)
            {
                activity?.SetTag("kuberollouttrigger.outcome", WorkloadOutcome.Failed);
                activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                metrics.Workload(workload.Kind, WorkloadOutcome.Failed);
                LogWorkload(logger, eventId, workload.Kind.Label, workload.Namespace, workload.Name, WorkloadOutcome.Failed, $"{e.Message} (status {e.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}); will retry");
                return null;
            }
        }

        activity?.SetTag("kuberollouttrigger.outcome", outcome.Outcome);
        metrics.Workload(workload.Kind, outcome.Outcome);
        if (outcome.Outcome == WorkloadOutcome.Restarted && message.RequestedAt != default)
            metrics.EventToRestart(time.GetUtcNow() - message.RequestedAt);
        LogWorkload(logger, eventId, workload.Kind.Label, workload.Namespace, workload.Name, outcome.Outcome, outcome.Reason);
        return outcome;
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
