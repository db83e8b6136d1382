namespace Kuberollouttrigger.Transport.Publishing;

/// <summary>
/// What became of a published message, the same for PubSub and streams: delivered to <see cref="Listeners"/>
/// subscribers, stored in the stream (with <see cref="Listeners"/> workers woken), or heard by nobody and kept nowhere.
/// </summary>
/// <remarks>
/// Built only from what Valkey answers (the PUBLISH count, or an XADD that returned an id), so a server-side script that
/// also writes the replay record and its "delivered" mark can return the same two values and be read the same way.
/// </remarks>
public sealed record PublishOutcome(PublishOutcomeKind Kind, long Listeners)
{
    /// <summary>The outcome of a PUBLISH that <paramref name="receivers"/> subscribers received.</summary>
    public static PublishOutcome Published(long receivers) =>
        receivers > 0 ? new(PublishOutcomeKind.Delivered, receivers) : new(PublishOutcomeKind.NobodyListening, 0);

    /// <summary>The outcome of an XADD, after which <paramref name="wokenWorkers"/> workers received the wake-up.</summary>
    public static PublishOutcome Stored(long wokenWorkers) => new(PublishOutcomeKind.Stored, wokenWorkers);

    /// <summary>True when no worker has it and none will: PubSub with nobody subscribed.</summary>
    public bool IsLost => Kind == PublishOutcomeKind.NobodyListening;
}
