using Kuberollouttrigger.Ingress.Decisions;

namespace Kuberollouttrigger.Ingress.Admission;

/// <summary>
/// Admission's answer before publishing: publish under <paramref name="EventId"/> (a retry keeps the first attempt's
/// id), or answer with <paramref name="DecidedWithoutPublishing"/> (a refusal, or the acceptance of an event an earlier
/// attempt delivered).
/// </summary>
public sealed record AdmissionVerdict(Guid EventId, string Fingerprint, IntakeDecision? DecidedWithoutPublishing);
