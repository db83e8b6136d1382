namespace Kuberollouttrigger.Ingress.Status;

/// <summary>One waiting request's interest in one event: signalled on every status notification for it.</summary>
public sealed class StatusListener(Guid eventId, Action<StatusListener> remove) : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0);

    public Guid EventId { get; } = eventId;

    public void Signal()
    {
        // One pending signal is enough: the waiter re-reads the whole record.
        if (_signal.CurrentCount == 0)
            _signal.Release();
    }

    /// <summary>True when a notification came within <paramref name="timeout"/>.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose()
    {
        remove(this);
        _signal.Dispose();
    }
}
