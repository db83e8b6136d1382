namespace Kuberollouttrigger.Ingress.Abuse;

/// <summary>One reserved unit of a <see cref="FixedWindowBudget"/>; given back at most once, and only within its window.</summary>
public sealed class BudgetUnit
{
    private readonly FixedWindowBudget.Counter _counter;
    private readonly long _window;
    private int _returned;

    internal BudgetUnit(FixedWindowBudget.Counter counter, long window)
    {
        _counter = counter;
        _window = window;
    }

    public void GiveBack()
    {
        if (Interlocked.Exchange(ref _returned, 1) != 0)
            return;
        lock (_counter)
        {
            if (_counter.Started == _window && _counter.Spent > 0)
                _counter.Spent--;
        }
    }
}
