using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress.Abuse;

/// <summary>
/// The two budgets, each a fixed one-minute window per partition: failed or unauthenticated requests per client
/// address (a unit reserved before a token is verified and given back when it is valid, or spent when a request
/// without a token is refused), and published events per repository (<see cref="EventBudget"/>, reserved before a
/// publish and given back when nothing went out).
/// </summary>
public sealed class AbuseLimits
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly FixedWindowBudget? _authFailures;
    private readonly EventBudget _events;

    public AbuseLimits(IOptions<AbuseOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _authFailures = options.Value.AuthFailuresPerMinute > 0 ? new FixedWindowBudget(options.Value.AuthFailuresPerMinute, Window, time) : null;
        _events = new EventBudget(options.Value.EventsPerMinutePerRepository, time);
    }

    /// <summary>True when the request's client address has spent its failure budget; nothing is spent by asking.</summary>
    public bool IsAddressLimited(HttpContext context, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        return _authFailures is not null && _authFailures.IsSpent(AddressOf(context), out retryAfter);
    }

    /// <summary>
    /// Reserves one unit of the client address's failure budget for a token about to be verified (false, with when to
    /// retry, when none is left); <paramref name="unit"/> (null when the limit is off) gives it back if the token is valid.
    /// </summary>
    public bool TryReserveAuthFailure(HttpContext context, out BudgetUnit? unit, out TimeSpan retryAfter)
    {
        unit = null;
        retryAfter = TimeSpan.Zero;
        return _authFailures is null || _authFailures.TryReserve(AddressOf(context), out unit, out retryAfter);
    }

    /// <summary>Spends one unit of the client address's failure budget.</summary>
    public void RecordAuthFailure(HttpContext context) => _authFailures?.Spend(AddressOf(context));

    /// <summary>Reserves one unit of the repository's event budget; false (with when to retry) when none is left.</summary>
    public bool TryReserveEvent(string repository, out EventReservation reservation, out TimeSpan retryAfter) =>
        _events.TryReserve(repository, out reservation, out retryAfter);

    /// <summary>Gives back a reserved unit when the attempt published nothing.</summary>
    public void ReleaseEvent(EventReservation reservation) => _events.Release(reservation);

    private static string AddressOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ClientPartition.Of(context.Connection.RemoteIpAddress);
    }
}
