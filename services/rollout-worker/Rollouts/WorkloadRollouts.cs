using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Rollouts;

/// <summary>
/// Follows restarted workloads of every enabled kind: one GET after the restart learns the generation the PATCH
/// produced; from then on the worker's watch (<see cref="OnWorkload"/>) decides, for tracked workloads only, with
/// the completion rules of the kind (<see cref="DeploymentRollout"/>, <see cref="StatefulSetRollout"/>,
/// <see cref="DaemonSetRollout"/>).
/// </summary>
public sealed partial class WorkloadRollouts(
    IKubernetes client,
    RolloutTracker tracker,
    IOptions<ClusterOptions> cluster,
    ILogger<WorkloadRollouts> logger) : IRolloutFollower, IWorkloadObserver
{
    public bool Follows => true;

    /// <summary>Called by the watch for every event and every listed item; cheap for untracked workloads.</summary>
    public void OnWorkload(WorkloadKind kind, WorkloadChange change, IKubernetesObject<V1ObjectMeta> workload)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (workload is null || tracker.Count == 0)
            return;
        var tracked = new WorkloadKey(kind, workload.Metadata?.NamespaceProperty ?? "", workload.Metadata?.Name ?? "");
        if (!tracker.IsTracking(tracked))
            return;
        if (change == WorkloadChange.Deleted)
            tracker.Deleted(tracked);
        else if (Observe(workload) is { } observation)
            tracker.Observe(observation);
    }

    public async Task FollowAsync(Guid eventId, WorkloadKey workload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var followed = tracker.Expect(eventId, workload);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(cluster.Value.RequestTimeout);
            var current = await WorkloadApi.ReadAsync(client, workload, timeout.Token);
            if (Observe(current) is { } observation)
                tracker.Start(followed, current.Metadata?.Generation ?? 0, observation);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            tracker.Finish(followed, new WorkloadRollout(RolloutStates.Failed, "deleted right after the restart"));
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Restarted, but without its generation the rollout cannot be judged: say so rather than guess.
            LogReadFailed(logger, eventId, workload.Kind.Label, workload.Namespace, workload.Name, e.GetType().Name);
            tracker.Finish(followed, new WorkloadRollout(RolloutStates.Failed, $"restarted, but the {workload.Kind.Kind} could not be read to follow its rollout"));
        }
    }

    private static RolloutObservation? Observe(IKubernetesObject<V1ObjectMeta> workload) => workload switch
    {
        V1Deployment deployment => DeploymentRollout.Observe(deployment),
        V1StatefulSet statefulSet => StatefulSetRollout.Observe(statefulSet),
        V1DaemonSet daemonSet => DaemonSetRollout.Observe(daemonSet),
        _ => null,
    };

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Event {EventId}: could not read {Kind} {Namespace}/{Name} after its restart ({ErrorType}); its rollout is not followed")]
    private static partial void LogReadFailed(ILogger logger, Guid eventId, string kind, string @namespace, string name, string errorType);
}
