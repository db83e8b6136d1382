namespace Kuberollouttrigger.Transport.Publishing;

/// <summary>
/// What makes a message go out once: a record under <paramref name="Key"/> (from
/// <see cref="IValkeyMessagePublisher.RecordKey"/>, so it shares the destination's cluster slot) that holds the
/// message id, the <paramref name="Fingerprint"/> of what it carries (lowercase hex) and whether it was delivered, kept
/// for <paramref name="Lifetime"/>. <paramref name="UnheardCountsAsDelivered"/>: a PUBLISH that no subscriber received
/// still marks it delivered, so a retry does not publish it again.
/// </summary>
public sealed record OnceRecord(string Key, string Fingerprint, TimeSpan Lifetime, bool UnheardCountsAsDelivered);
