namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>Makes the next <see cref="Times"/> requests that match fail with <see cref="Status"/>.</summary>
public sealed class FaultRule(Func<string, string, bool> matches, int status, int times, int? retryAfterSeconds)
{
    private int _remaining = times;

    public int Status { get; } = status;

    public int? RetryAfterSeconds { get; } = retryAfterSeconds;

    public int Times { get; } = times;

    /// <summary>True when this request should fail; counts it.</summary>
    public bool TryTake(string method, string path)
    {
        if (!matches(method, path))
            return false;
        return Interlocked.Decrement(ref _remaining) >= 0;
    }
}
