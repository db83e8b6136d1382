namespace Kuberollouttrigger.Ingress.Decisions;

/// <summary>The event is out under <paramref name="EventId"/> (published now, or by an earlier attempt with the same token).</summary>
public sealed record Accepted(Guid EventId, string Image, IReadOnlyList<string> Tags) : IntakeDecision;
