namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>Where deliveries come from, and what settling one means there.</summary>
public interface IDeliverySource
{
    /// <summary>True when a delivery that failed comes back by itself (a pending stream entry); false when it is gone (PubSub).</summary>
    bool Redelivers { get; }

    /// <summary>The delivery is settled, handled or dead-lettered: a stream entry is acknowledged (XACK).</summary>
    Task AcknowledgeAsync(Delivery delivery);

    /// <summary>The receive path is done with the delivery, whatever became of it.</summary>
    void Release(Delivery delivery);
}
