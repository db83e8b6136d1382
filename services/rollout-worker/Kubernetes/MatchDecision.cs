namespace Kuberollouttrigger.RolloutWorker.Kubernetes;

/// <summary>What the index decided for a Deployment that uses the event's image.</summary>
public enum MatchDecision
{
    /// <summary>At least one container runs <c>image:tag</c> unpinned: restart it.</summary>
    Restart,

    /// <summary>Every matching container is pinned by digest: a restart would pull nothing new.</summary>
    SkippedDigest,

    /// <summary><c>spec.paused</c> is true; kubectl refuses to restart paused Deployments too.</summary>
    SkippedPaused,

    /// <summary>Annotated <c>kuberollouttrigger.io/ignore: "true"</c>.</summary>
    Ignored,
}
