namespace Kuberollouttrigger.Transport.Connection;

/// <summary>
/// How long to wait before trying a failed Valkey step again (subscribing, creating the consumer group, reading the
/// stream): 250 ms, doubling up to 5 s, each wait ±20% so replicas that lost Valkey together do not return in step.
/// </summary>
public sealed class ValkeyRetryDelay
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);
    private TimeSpan _next = First;

    /// <summary>The wait before the next attempt; the one after it is twice as long, up to the maximum.</summary>
    public TimeSpan Next()
    {
        var delay = _next * (0.8 + (Random.Shared.NextDouble() * 0.4));
        _next = _next * 2 < Max ? _next * 2 : Max;
        return delay;
    }

    /// <summary>The step succeeded: the next failure waits the shortest time again.</summary>
    public void Reset() => _next = First;
}
