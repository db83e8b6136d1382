using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress.Abuse;

/// <summary>
/// The two budgets, each a fixed one-minute window per partition: failed or unauthenticated requests per client
/// address (spent after JwtBearer refused a request, checked before it runs), and published events per repository
/// (<see cref="EventBudget"/>, reserved before a publish and given back when nothing went out).
/// </summary>
public sealed class AbuseLimits : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly PartitionedRateLimiter<string>? _authFailures;
    private readonly EventBudget _events;

    public AbuseLimits(IOptions<AbuseOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _authFailures = Create(options.Value.AuthFailuresPerMinute);
        _events = new EventBudget(options.Value.EventsPerMinutePerRepository, time);
    }

    /// <summary>True when the request's client address has spent its failure budget; nothing is spent by asking.</summary>
    public bool IsAddressLimited(HttpContext context, out TimeSpan retryAfter) =>
        IsLimited(_authFailures, AddressOf(context), permits: 0, out retryAfter);

    /// <summary>Spends one unit of the client address's failure budget.</summary>
    public void RecordAuthFailure(HttpContext context) => IsLimited(_authFailures, AddressOf(context), permits: 1, out _);

    /// <summary>Reserves one unit of the repository's event budget; false (with when to retry) when none is left.</summary>
    public bool TryReserveEvent(string repository, out EventReservation reservation, out TimeSpan retryAfter) =>
        _events.TryReserve(repository, out reservation, out retryAfter);

    /// <summary>Gives back a reserved unit when the attempt published nothing.</summary>
    public void ReleaseEvent(EventReservation reservation) => _events.Release(reservation);

    public void Dispose()
    {
        _authFailures?.Dispose();
    }

    private static string AddressOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ClientPartition.Of(context.Connection.RemoteIpAddress);
    }

    private static bool IsLimited(PartitionedRateLimiter<string>? limiter, string key, int permits, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (limiter is null)
            return false;
        using var lease = limiter.AttemptAcquire(key, permits);
        if (lease.IsAcquired)
            return false;
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : Window;
        return true;
    }

    private static PartitionedRateLimiter<string>? Create(int perMinute) => perMinute <= 0 ? null :
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
