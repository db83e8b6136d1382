namespace Kuberollouttrigger.Ingress.Replay;

/// <summary>What to do with a token: a first use, a retry of an event not yet delivered, a retry of a delivered one, or a reuse for another event.</summary>
public enum ReplayKind
{
    FirstUse,
    RetryUndelivered,
    RetryDelivered,
    OtherEvent,
}

/// <summary>The verdict and the event id to use (the first attempt's for a retry).</summary>
public sealed record ReplayVerdict(ReplayKind Kind, Guid EventId);
