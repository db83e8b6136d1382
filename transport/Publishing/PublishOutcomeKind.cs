namespace Kuberollouttrigger.Transport.Publishing;

/// <summary>What became of a published message; see <see cref="PublishOutcome"/>.</summary>
public enum PublishOutcomeKind
{
    /// <summary>PubSub: at least one subscriber received it.</summary>
    Delivered,

    /// <summary>Stream: the entry is kept until a worker of the consumer group reads it, whoever listens now.</summary>
    Stored,

    /// <summary>PubSub: no subscriber received it, and Valkey kept nothing.</summary>
    NobodyListening,
}
