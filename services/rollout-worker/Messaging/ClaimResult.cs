namespace Kuberollouttrigger.RolloutWorker.Messaging;

public enum ClaimResult
{
    /// <summary>This replica now owns the event.</summary>
    Claimed,

    /// <summary>This replica already owned it: a retry of its own attempt.</summary>
    OwnRetry,

    /// <summary>The event was handled to completion before: a duplicate.</summary>
    AlreadyDone,

    /// <summary>Another replica is handling it.</summary>
    HeldByOther,
}
