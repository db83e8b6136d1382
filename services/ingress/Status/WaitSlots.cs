using System.Diagnostics.Metrics;
using Kuberollouttrigger.Ingress.Decisions;
using Kuberollouttrigger.Ingress.Telemetry;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress.Status;

/// <summary>
/// The waited requests (<c>?wait=</c>) this process holds: at most <see cref="EventWaitOptions.MaxWaits"/> in all and
/// <see cref="EventWaitOptions.MaxWaitsPerRepository"/> for one repository. A waiting request holds its connection and
/// some memory for up to 15 minutes, and a retry of an accepted event spends no event budget, so without these one
/// valid token could hold thousands and exhaust the process. A slot is taken before the event is published, so a
/// refused request publishes nothing and its retry later starts clean.
/// </summary>
public sealed class WaitSlots
{
    public const string WaitingName = "kuberollouttrigger.events.waiting";
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _byRepository = new(StringComparer.OrdinalIgnoreCase);
    private readonly EventWaitOptions _options;
    private int _total;

    public WaitSlots(IOptions<EventWaitOptions> options, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _options = options.Value;
        meterFactory.Create(IngressMetrics.MeterName).CreateObservableUpDownCounter(WaitingName, () => Volatile.Read(ref _total), "{request}",
            "POST /event?wait= requests waiting now");
    }

    /// <summary>A slot for a waited request of <paramref name="repository"/> (dispose it when the wait ends), or the refusal.</summary>
    public (IDisposable? Slot, Refused? Refused) TryTake(string repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        lock (_gate)
        {
            if (_total >= _options.MaxWaits)
                return (null, Refused.RetryLater(RefusalCause.WaitsFull, $"this service already holds {_options.MaxWaits} waiting requests; retry later, or without ?wait", RetryAfter));
            var held = _byRepository.GetValueOrDefault(repository);
            if (held >= _options.MaxWaitsPerRepository)
                return (null, Refused.RetryLater(RefusalCause.RepositoryWaitsFull, $"this repository already has {_options.MaxWaitsPerRepository} waiting requests; retry later, or without ?wait", RetryAfter));
            _byRepository[repository] = held + 1;
            _total++;
        }
        return (new Slot(this, repository), null);
    }

    private void Return(string repository)
    {
        lock (_gate)
        {
            _total--;
            var held = _byRepository[repository];
            if (held <= 1)
                _byRepository.Remove(repository);
            else
                _byRepository[repository] = held - 1;
        }
    }

    private sealed class Slot(WaitSlots slots, string repository) : IDisposable
    {
        private int _returned;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
                slots.Return(repository);
        }
    }
}
