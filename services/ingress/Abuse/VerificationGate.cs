using System.Diagnostics.Metrics;
using Kuberollouttrigger.Ingress.Decisions;
using Kuberollouttrigger.Ingress.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Kuberollouttrigger.Ingress.Abuse;

/// <summary>
/// What a request pays before its token is verified. A request that carries a token takes one of the process's
/// <see cref="MaxConcurrent"/> verification slots, waiting at most <see cref="QueueWait"/> for one (503 then), and with
/// the slot reserves one unit of its client address's failure budget (429 once none is left, so a burst at a cold
/// process cannot verify more tokens than the budget, however many arrive at once). A valid token gives its unit back. A request
/// without a token has nothing to verify: it is only checked against the budget, and spends a unit when refused.
/// </summary>
public sealed class VerificationGate : IDisposable
{
    public const string InFlightName = "kuberollouttrigger.token.verifications.in_flight";

    /// <summary>Tokens verified at once: a verification is CPU (RSA) or a wait for the issuer's keys, which more at once do not speed up.</summary>
    public static readonly int MaxConcurrent = Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>How long a request waits for a verification slot before it is answered 503.</summary>
    public static readonly TimeSpan QueueWait = TimeSpan.FromSeconds(10);

    private static readonly object TicketKey = new();
    private static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);
    private readonly AbuseLimits _limits;
    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);

    public VerificationGate(AbuseLimits limits, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _limits = limits;
        meterFactory.Create(IngressMetrics.MeterName).CreateObservableUpDownCounter(InFlightName, () => MaxConcurrent - _slots.CurrentCount, "{token}",
            "Tokens being verified (or waiting for the issuer's keys) now; at most " + MaxConcurrent);
    }

    /// <summary>Before the token is read: null to go on with the verification, or the refusal.</summary>
    public async Task<Refused?> EnterAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HasBearerToken(context.Request))
            return _limits.IsAddressLimited(context, out var after) ? OverBudget(after) : null;
        // Spent already: refused before it waits for a slot.
        if (_limits.IsAddressLimited(context, out var spentRetryAfter))
            return OverBudget(spentRetryAfter);
        bool entered;
        try
        {
            entered = await _slots.WaitAsync(QueueWait, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            entered = false;
        }
        if (!entered)
            return Decisions.Refused.RetryLater(RefusalCause.VerificationsBusy, "too many tokens are being verified at once", BusyRetryAfter);
        // The unit is reserved once the slot is held, not while the request queues for one: only the tokens being
        // verified hold units (at most MaxConcurrent), so many valid requests queued from one address never take its
        // budget from it, while a burst of bad ones is still verified no more times than the budget.
        if (!_limits.TryReserveAuthFailure(context, out var unit, out var retryAfter))
        {
            _slots.Release();
            return OverBudget(retryAfter);
        }
        var ticket = new Ticket(unit, _slots);
        context.Items[TicketKey] = ticket;
        context.Response.RegisterForDispose(ticket);
        return null;
    }

    /// <summary>The request is no failed authentication after all (a valid token, or the issuer's keys unavailable): its unit goes back, its slot is free.</summary>
    public static void GiveBack(HttpContext context)
    {
        if (TicketOf(context) is { } ticket)
        {
            ticket.GiveBack();
            ticket.Dispose();
        }
    }

    /// <summary>The verification ended (the token may still be refused for its claims); the slot is free, the unit stays spent.</summary>
    public static void VerificationEnded(HttpContext context) => TicketOf(context)?.Dispose();

    /// <summary>The request is answered 401: it spends a unit, unless it reserved one before its token was verified.</summary>
    public void ChargeFailure(HttpContext context)
    {
        if (TicketOf(context) is null)
            _limits.RecordAuthFailure(context);
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>As JwtBearer reads it: <c>Bearer</c> (any case) and a non-empty token.</summary>
    private static bool HasBearerToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.AsSpan("Bearer ".Length).Trim().Length > 0;
    }

    private static Refused OverBudget(TimeSpan retryAfter) =>
        Decisions.Refused.RetryLater(RefusalCause.AddressOverBudget, "too many failed authentication attempts from this address", retryAfter);

    private static Ticket? TicketOf(HttpContext context) => context?.Items[TicketKey] as Ticket;

    /// <summary>A reserved unit and a held slot; the slot is released once, at the latest when the response ends.</summary>
    private sealed class Ticket(BudgetUnit? unit, SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void GiveBack() => unit?.GiveBack();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                slots.Release();
        }
    }
}
