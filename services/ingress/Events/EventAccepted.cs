namespace Kuberollouttrigger.Ingress.Events;

/// <summary>The 202 body: the id under which the event travels to the worker.</summary>
public sealed record EventAccepted(Guid EventId);
