namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>Whether the subscriber is currently subscribed; read by readiness.</summary>
public sealed class SubscriptionState
{
    private volatile bool _subscribed;

    public bool IsSubscribed => _subscribed;

    public void Set(bool subscribed) => _subscribed = subscribed;
}
