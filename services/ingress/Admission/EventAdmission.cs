namespace Kuberollouttrigger.Ingress.Admission;

/// <summary>
/// The gate's answer before publishing: the event id to publish under (a retry keeps the first attempt's), or the
/// answer to give without publishing (a refusal, or the 202 of an event already delivered).
/// </summary>
public sealed record EventAdmission(Guid EventId, string Fingerprint, Microsoft.AspNetCore.Http.IResult? AnswerWithoutPublishing);
