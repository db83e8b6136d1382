namespace Kuberollouttrigger.UnitTests.Progress;

/// <summary>A clock whose timers fire only when a test says so: no unit test waits for real time.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];

    public IReadOnlyList<ManualTimer> Timers => _timers;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(() => callback(state));
        _timers.Add(timer);
        return timer;
    }

    public sealed class ManualTimer(Action fire) : ITimer
    {
        public bool Disposed { get; private set; }

        public void Fire()
        {
            if (!Disposed)
                fire();
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => !Disposed;

        public void Dispose() => Disposed = true;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
