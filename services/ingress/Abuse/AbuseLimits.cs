using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress.Abuse;

/// <summary>
/// The two budgets, each a fixed one-minute window per partition: failed or unauthenticated requests per client
/// address (a unit reserved before a token is verified and given back when it is valid, or spent when a request
/// without a token is refused), and published events per repository.
/// </summary>
public sealed class AbuseLimits : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly FixedWindowBudget? _authFailures;
    private readonly PartitionedRateLimiter<string>? _events;

    public AbuseLimits(IOptions<AbuseOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _authFailures = options.Value.AuthFailuresPerMinute > 0 ? new FixedWindowBudget(options.Value.AuthFailuresPerMinute, Window, time) : null;
        _events = Create(options.Value.EventsPerMinutePerRepository);
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

    /// <summary>Spends one unit of the repository's event budget; false (with when to retry) when none is left.</summary>
    public bool TryAcceptEvent(string repository, out TimeSpan retryAfter) =>
        !IsLimited(_events, (repository ?? "").ToLowerInvariant(), permits: 1, out retryAfter);

    public void Dispose() => _events?.Dispose();

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
