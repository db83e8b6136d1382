namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>
/// Runs work items concurrently up to a limit, except that items with the same key run one after another in the order
/// they were added. No head-of-line blocking between keys; at most <c>capacity</c> items wait in memory.
/// Work items report their own failures; one that throws does not hold up the items behind it.
/// </summary>
public sealed class KeyedDispatcher(int concurrency, int capacity) : IDisposable
{
    private readonly SemaphoreSlim _running = new(concurrency, concurrency);
    private readonly SemaphoreSlim _queued = new(capacity, capacity);
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Queues <paramref name="work"/> behind the earlier items of <paramref name="key"/>; waits while the queue is full.</summary>
    public async Task EnqueueAsync(string key, Func<Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _queued.WaitAsync(cancellationToken);
        lock (_gate)
        {
            var previous = _tails.GetValueOrDefault(key) ?? Task.CompletedTask;
            var next = RunAfterAsync(previous, work);
            _tails[key] = next;
            _ = next.ContinueWith(_ => Forget(key, next), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Completes when every queued item has run, whether it succeeded or not.</summary>
    public Task DrainAsync()
    {
        lock (_gate)
            return Task.WhenAll(_tails.Values.Select(t => Task.WhenAny(t)));
    }

    public void Dispose()
    {
        _running.Dispose();
        _queued.Dispose();
    }

    private async Task RunAfterAsync(Task previous, Func<Task> work)
    {
        // Only the order matters here: a failed predecessor must not stop the items behind it.
        await Task.WhenAny(previous);
        await _running.WaitAsync();
        try
        {
            await work();
        }
        finally
        {
            _running.Release();
            _queued.Release();
        }
    }

    private void Forget(string key, Task finished)
    {
        lock (_gate)
        {
            if (_tails.TryGetValue(key, out var tail) && tail == finished)
                _tails.Remove(key);
        }
    }
}
