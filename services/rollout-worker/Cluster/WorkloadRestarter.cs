using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// Restarts one workload as <c>kubectl rollout restart</c> does, writing the audit annotations in the same PATCH.
/// 403 and 404 are outcomes; 429 waits for its Retry-After (capped) and tries again up to three times; 5xx, timeouts
/// and connection failures are transient and left to the consumer's retry policy. With EMIT_EVENTS, a restarted
/// workload also gets a Kubernetes Event, whose failure never fails the restart.
/// </summary>
public sealed partial class WorkloadRestarter(
    IKubernetes client,
    IOptions<ClusterOptions> options,
    RolloutEventRecorder events,
    TimeProvider time,
    ILogger<WorkloadRestarter> logger) : IWorkloadRestarter
{
    public const int MaxAttempts = 3;
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    public async Task<WorkloadOutcome> RestartAsync(WorkloadKey workload, RestartAudit audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(audit);
        if (options.Value.DryRun)
        {
            LogDryRun(logger, workload.Kind.Label, workload.Namespace, workload.Name);
            return WorkloadOutcome.DryRun;
        }

        V1ObjectMeta? patched;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.Value.RequestTimeout);
                var patch = new V1Patch(RestartPatch.For(time.GetUtcNow(), audit).ToJsonString(), V1Patch.PatchType.StrategicMergePatch);
                patched = await WorkloadApi.PatchAsync(client, workload, patch, RestartPatch.FieldManager, timeout.Token);
                break;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
            {
                return WorkloadOutcome.Forbidden;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return WorkloadOutcome.NotFound;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var wait = RetryAfter(e) ?? DefaultRetryAfter;
                if (attempt >= MaxAttempts)
                    throw new TransientKubernetesException($"429 Too Many Requests after {attempt} attempts", e) { StatusCode = 429, RetryAfter = wait };
                LogThrottled(logger, workload.Kind.Label, workload.Namespace, workload.Name, wait.TotalSeconds, attempt);
                await Task.Delay(wait, time, cancellationToken);
            }
            catch (HttpOperationException e) when ((int)e.Response.StatusCode >= 500 || e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                throw Transient(e, "PATCH", cancellationToken)!;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && Transient(e, "PATCH", cancellationToken) is { } transient)
            {
                throw transient;
            }
        }

        // The restart is done: the Event is a report of it and can neither fail nor repeat it.
        if (options.Value.EmitEvents)
            await events.RecordAsync(workload, patched, audit);
        return WorkloadOutcome.Restarted;
    }

    public async Task<bool> AlreadyRestartedAsync(WorkloadMatch match, Guid eventId, bool indexMayBeStale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        if (match.LastEventId == eventId)
            return true;
        if (!indexMayBeStale || eventId == Guid.Empty || options.Value.DryRun)
            return false;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.RequestTimeout);
            var current = await WorkloadApi.ReadAsync(client, match.Workload, timeout.Token);
            return IndexedWorkload.LastEventOf(current.Metadata) == eventId;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            // The PATCH that follows gets the same answer, and with it the outcome.
            return false;
        }
        catch (Exception e) when (Transient(e, "GET", cancellationToken) is { } transient)
        {
            throw transient;
        }
    }

    /// <summary>What a failed request means for the consumer's retry: any other status, no connection, or a timeout (not our own cancellation) may pass.</summary>
    private static TransientKubernetesException? Transient(Exception e, string request, CancellationToken cancellationToken) => e switch
    {
        HttpOperationException http => new TransientKubernetesException($"{(int)http.Response.StatusCode} from the API server", e)
            { StatusCode = (int)http.Response.StatusCode, RetryAfter = RetryAfter(http) },
        HttpRequestException => new TransientKubernetesException("the API server could not be reached", e),
        OperationCanceledException when !cancellationToken.IsCancellationRequested => new TransientKubernetesException($"the {request} request timed out", e),
        _ => null,
    };

    private static TimeSpan? RetryAfter(HttpOperationException e)
    {
        if (e.Response.Headers is null || !e.Response.Headers.TryGetValue("Retry-After", out var values))
            return null;
        var value = values.FirstOrDefault();
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(Math.Min(seconds, MaxRetryAfter.TotalSeconds));
        return null;
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "DRY_RUN: would restart {Kind} {Namespace}/{Name}")]
    private static partial void LogDryRun(ILogger logger, string kind, string @namespace, string name);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "API server throttled the restart of {Kind} {Namespace}/{Name} (429); retrying after {RetryAfterSeconds} s (attempt {Attempt})")]
    private static partial void LogThrottled(ILogger logger, string kind, string @namespace, string name, double retryAfterSeconds, int attempt);
}
