namespace Kuberollouttrigger.Transport.Publishing;

/// <summary>What a publish tied to a <see cref="OnceRecord"/> did; see <see cref="PublishOnceResult"/>.</summary>
public enum PublishOnceKind
{
    /// <summary>Published now under the id asked for; the record says whether it counts as delivered.</summary>
    Published,

    /// <summary>An earlier attempt with the same fingerprint was delivered; nothing was published.</summary>
    AlreadyDelivered,

    /// <summary>The record holds another fingerprint: the key was used for other content; nothing was published.</summary>
    Conflict,

    /// <summary>An earlier attempt with the same fingerprint was not delivered: publish again under its id.</summary>
    Pending,

    /// <summary>Only checked, and no record exists: nothing was published or written.</summary>
    Unrecorded,
}
