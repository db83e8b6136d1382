namespace Kuberollouttrigger.RolloutWorker.Kubernetes;

/// <summary>A Deployment that uses the event's image, the decision for it, and the containers that matched.</summary>
public sealed record DeploymentMatch(DeploymentKey Deployment, MatchDecision Decision, IReadOnlyList<string> Containers);
