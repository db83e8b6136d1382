namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>
/// Holds every matching request until <see cref="Release"/>: before it is applied (a request whose client goes away
/// meanwhile, a killed worker, is never applied), or with <see cref="AfterApplying"/> after it was applied and before
/// its answer leaves (a client that goes away then never learns that it was). <see cref="Arrived"/> counts the
/// requests that reached the hold.
/// </summary>
public sealed class HoldRule(Func<string, string, bool> matches, bool afterApplying = false)
{
    public bool AfterApplying { get; } = afterApplying;

    public bool Matches(string method, string path) => !_released.Task.IsCompleted && matches(method, path);

    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public int Arrived => Volatile.Read(ref _arrived);

    public void Release() => _released.TrySetResult();

    /// <summary>True when the request may go on; false when its client went away while it was held.</summary>
    public async Task<bool> WaitAsync(string method, string path, CancellationToken requestAborted)
    {
        if (_released.Task.IsCompleted || !matches(method, path))
            return true;
        Interlocked.Increment(ref _arrived);
        try
        {
            await _released.Task.WaitAsync(requestAborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
