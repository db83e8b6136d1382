using Kuberollouttrigger.Contracts.Status;

namespace Kuberollouttrigger.Ingress.Status;

/// <summary>An accepted event's status when its wait ended, and the HTTP status its state is answered with.</summary>
public sealed record WaitedStatus(EventStatus Status, int StatusCode);
