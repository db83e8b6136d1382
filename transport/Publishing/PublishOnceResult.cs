namespace Kuberollouttrigger.Transport.Publishing;

/// <summary>
/// A publish tied to a <see cref="OnceRecord"/>: what happened, the message id the record holds (the one asked for
/// when <see cref="PublishOnceKind.Published"/> or <see cref="PublishOnceKind.Unrecorded"/>), and what became of the
/// message when it was published.
/// </summary>
public sealed record PublishOnceResult(PublishOnceKind Kind, Guid MessageId, PublishOutcome? Outcome);
