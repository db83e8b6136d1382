using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kuberollouttrigger.Contracts.Status;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Kubernetes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Progress;

/// <summary>
/// Follows restarted Deployments: one GET after the restart learns the generation the PATCH produced; from then on
/// the worker's Deployment watch (<see cref="Observe"/>) decides, for tracked Deployments only, with <see cref="DeploymentRollout"/>.
/// </summary>
public sealed partial class DeploymentRollouts(
    IKubernetes client,
    RolloutTracker tracker,
    IOptions<ClusterOptions> cluster,
    ILogger<DeploymentRollouts> logger) : IRolloutFollower
{
    public bool Follows => true;

    /// <summary>Called by the Deployment watch for every event and by every relist; cheap for untracked Deployments.</summary>
    public void Observe(WatchEventType type, V1Deployment? deployment)
    {
        if (deployment is null || tracker.Count == 0)
            return;
        var workload = new TrackedWorkload(DeploymentRollout.Kind, deployment.Metadata?.NamespaceProperty ?? "", deployment.Metadata?.Name ?? "");
        if (!tracker.IsTracking(workload))
            return;
        if (type == WatchEventType.Deleted)
            tracker.Deleted(workload);
        else
            tracker.Observe(DeploymentRollout.Observe(deployment));
    }

    public async Task FollowAsync(Guid eventId, DeploymentKey deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var followed = tracker.Expect(eventId, new TrackedWorkload(DeploymentRollout.Kind, deployment.Namespace, deployment.Name));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(cluster.Value.RequestTimeout);
            var current = await client.AppsV1.ReadNamespacedDeploymentAsync(deployment.Name, deployment.Namespace, cancellationToken: timeout.Token);
            tracker.Start(followed, current.Metadata?.Generation ?? 0, DeploymentRollout.Observe(current));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            tracker.Finish(followed, new WorkloadRollout(RolloutStates.Failed, "deleted right after the restart"));
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Restarted, but without its generation the rollout cannot be judged: say so rather than guess.
            LogReadFailed(logger, eventId, deployment.Namespace, deployment.Name, e.GetType().Name);
            tracker.Finish(followed, new WorkloadRollout(RolloutStates.Failed, "restarted, but the Deployment could not be read to follow its rollout"));
        }
    }

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Event {EventId}: could not read {Namespace}/{Deployment} after its restart ({ErrorType}); its rollout is not followed")]
    private static partial void LogReadFailed(ILogger logger, Guid eventId, string @namespace, string deployment, string errorType);
}
