using System.Globalization;
using Kuberollouttrigger.Contracts.Status;
using Microsoft.AspNetCore.Http;

namespace Kuberollouttrigger.Ingress.Decisions;

/// <summary>
/// The one place a decision becomes HTTP: <see cref="Accepted"/> is <c>202 {"eventId":…}</c>, or the event's status
/// record when the request waited for it; <see cref="Refused"/> is a problem+json with the status its cause has,
/// <c>Retry-After</c> when retrying helps, and <c>WWW-Authenticate</c> (naming the failed check) when a token is missing or invalid.
/// </summary>
public sealed class DecisionResult : IResult, IStatusCodeHttpResult
{
    /// <summary>
    /// When to retry while Valkey does not answer (a primary failing over, a Cluster electing a replica): nothing was
    /// stored under the answer, and the retry with the same token gets the same event id.
    /// </summary>
    public static readonly TimeSpan ValkeyRetryAfter = TimeSpan.FromSeconds(5);

    private readonly EventStatus? _waited;

    private DecisionResult(IntakeDecision decision, int statusCode, EventStatus? waited)
    {
        Decision = decision;
        StatusCode = statusCode;
        _waited = waited;
    }

    public IntakeDecision Decision { get; }

    public int StatusCode { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public static DecisionResult For(IntakeDecision decision) => decision switch
    {
        Accepted => new(decision, StatusCodes.Status202Accepted, null),
        Refused { Cause: RefusalCause.ValkeyUnavailable, RetryAfter: null } refused => new(refused with { RetryAfter = ValkeyRetryAfter }, StatusOf(refused.Cause), null),
        Refused refused => new(decision, StatusOf(refused.Cause), null),
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "not a decision of the intake"),
    };

    /// <summary>An accepted event answered with its status record after a wait, under the code <see cref="StatusAnswer"/> gives its state.</summary>
    public static DecisionResult Waited(Accepted accepted, EventStatus status, int statusCode) => new(accepted, statusCode, status);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return Decision switch
        {
            Accepted when _waited is { } status => StatusAnswer.Json(status, StatusCode).ExecuteAsync(httpContext),
            Accepted accepted => Results.Json(new EventAccepted(accepted.EventId), statusCode: StatusCode).ExecuteAsync(httpContext),
            Refused refused => RefuseAsync(httpContext, refused),
            _ => throw new InvalidOperationException("not a decision of the intake"),
        };
    }

    private Task RefuseAsync(HttpContext httpContext, Refused refused)
    {
        var headers = httpContext.Response.Headers;
        if (refused.RetryAfterSeconds is { } seconds)
            headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (refused.Cause == RefusalCause.Unauthenticated)
            headers.WWWAuthenticate = BearerChallenge.For(refused.Reason);
        return Results.Problem(statusCode: StatusCode, detail: refused.Reason).ExecuteAsync(httpContext);
    }

    private static int StatusOf(RefusalCause cause) => cause switch
    {
        RefusalCause.Unauthenticated => StatusCodes.Status401Unauthorized,
        RefusalCause.IssuerUnavailable or RefusalCause.NobodyListening or RefusalCause.ValkeyUnavailable or RefusalCause.VerificationsBusy or RefusalCause.WaitsFull => StatusCodes.Status503ServiceUnavailable,
        RefusalCause.AddressOverBudget or RefusalCause.RepositoryOverBudget or RefusalCause.RepositoryWaitsFull => StatusCodes.Status429TooManyRequests,
        RefusalCause.ContentType => StatusCodes.Status415UnsupportedMediaType,
        RefusalCause.TooLarge => StatusCodes.Status413PayloadTooLarge,
        RefusalCause.Payload or RefusalCause.Prefix or RefusalCause.WaitParameter => StatusCodes.Status400BadRequest,
        RefusalCause.Policy => StatusCodes.Status403Forbidden,
        RefusalCause.Replay => StatusCodes.Status409Conflict,
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, "no status for this cause"),
    };
}
