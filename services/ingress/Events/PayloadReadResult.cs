namespace Kuberollouttrigger.Ingress.Events;

/// <summary>A payload read from a request body, or the one-line reason it was refused.</summary>
public sealed record PayloadReadResult(EventPayload? Payload, string? Error)
{
    public static PayloadReadResult Fail(string error) => new(null, error);
}
