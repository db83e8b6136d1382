namespace Kuberollouttrigger.Ingress.Decisions;

/// <summary>
/// What the ingress decided about a request: <see cref="Accepted"/> or <see cref="Refused"/>. A value, not an HTTP
/// answer: <see cref="DecisionResult"/> turns it into one, in one place.
/// </summary>
public abstract record IntakeDecision
{
    private protected IntakeDecision()
    {
    }
}
