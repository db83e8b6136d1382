namespace Kuberollouttrigger.Ingress.Decisions;

/// <summary>The 202 body: the id under which the event travels to the worker, and nothing else (as the Go original answers).</summary>
public sealed record EventAccepted(Guid EventId);
