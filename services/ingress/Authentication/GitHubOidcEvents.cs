using System.Net.Http;
using Kuberollouttrigger.Ingress.Abuse;
using Kuberollouttrigger.Ingress.Decisions;
using Kuberollouttrigger.Ingress.Telemetry;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress.Authentication;

/// <summary>
/// JwtBearer events: the client address's failure budget before the token is even read (429 once it is spent, so a
/// flood of bad tokens costs a lookup, not an RSA verification), the <c>repository_owner</c>, <c>jti</c> and token age
/// checks, a safe log line for every rejection, and the challenge's answer as a <see cref="Refused"/> decision: 401
/// (which spends one unit of the budget), 429, or 503 when the issuer's keys could not be fetched (an outage is not
/// the caller's fault). Every route that requires the GitHub OIDC policy gets all of this; no route is named here.
/// </summary>
public sealed partial class GitHubOidcEvents(
    IOptions<GitHubOidcOptions> options,
    IngressMetrics metrics,
    AbuseLimits limits,
    TimeProvider time,
    ILogger<GitHubOidcEvents> logger) : JwtBearerEvents
{
    private static readonly object RefusalKey = new();
    private static readonly Refused Unauthenticated = new(RefusalCause.Unauthenticated, "a valid GitHub Actions OIDC token for this service is required");
    private static readonly Refused IssuerUnavailable = new(RefusalCause.IssuerUnavailable, "the OIDC issuer's signing keys could not be fetched; retry later", TimeSpan.FromSeconds(10));

    /// <summary>
    /// Before the token is read: an address that has spent its failure budget is refused without parsing or verifying
    /// it. A valid token from such an address is limited too: telling it apart would take the signature check this avoids.
    /// </summary>
    public override Task MessageReceived(MessageReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (limits.IsAddressLimited(context.HttpContext, out var retryAfter))
        {
            context.HttpContext.Items[RefusalKey] = Refused.RetryLater(RefusalCause.AddressOverBudget, "too many failed authentication attempts from this address", retryAfter);
            context.Fail("the client address has spent its failure budget");
        }
        return Task.CompletedTask;
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var owner = context.Principal?.FindFirst(GitHubClaimNames.RepositoryOwner)?.Value;
        if (!string.Equals(owner, options.Value.AllowedOrg, StringComparison.OrdinalIgnoreCase))
        {
            var diagnostics = TokenDiagnostics.FromAuthorizationHeader(context.Request.Headers.Authorization);
            LogRejected(logger, "repository_owner not allowed", "-", diagnostics.Alg, diagnostics.Kid, diagnostics.Issuer, diagnostics.Audience, diagnostics.RepositoryOwner);
            context.Fail("repository_owner is not the allowed organization");
            return Task.CompletedTask;
        }
        if (TokenFreshness.Check(context.Principal!, time.GetUtcNow(), options.Value) is { } stale)
        {
            var diagnostics = TokenDiagnostics.FromAuthorizationHeader(context.Request.Headers.Authorization);
            LogRejected(logger, stale, "-", diagnostics.Alg, diagnostics.Kid, diagnostics.Issuer, diagnostics.Audience, diagnostics.RepositoryOwner);
            context.Fail(stale);
            return Task.CompletedTask;
        }
        if (options.Value.DevMode)
            LogDevModeAccepted(logger, owner ?? "-");
        return Task.CompletedTask;
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var unavailable = IsIssuerUnavailable(context.Exception);
        if (unavailable)
            context.HttpContext.Items[RefusalKey] = IssuerUnavailable;
        var diagnostics = TokenDiagnostics.FromAuthorizationHeader(context.Request.Headers.Authorization);
        LogRejected(logger, unavailable ? "issuer keys unavailable" : "token invalid", context.Exception.GetType().Name,
            diagnostics.Alg, diagnostics.Kid, diagnostics.Issuer, diagnostics.Audience, diagnostics.RepositoryOwner);
        // Without a result JwtBearer rethrows what happened outside token validation (the issuer fetch): a 500.
        // Failing here turns every such case into the challenge below: 401, or 503 for an issuer outage.
        context.Fail(context.Exception);
        return Task.CompletedTask;
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.HandleResponse();
        var refused = context.HttpContext.Items[RefusalKey] as Refused ?? Unauthenticated;
        if (context.AuthenticateFailure is null)
            LogRejected(logger, "no bearer token", "-", "-", "-", "-", "-", "-");
        if (refused.Cause == RefusalCause.Unauthenticated)
            limits.RecordAuthFailure(context.HttpContext);
        metrics.Received();
        metrics.Refused(refused.Cause);
        await DecisionResult.For(refused).ExecuteAsync(context.HttpContext);
    }

    private static bool IsIssuerUnavailable(Exception exception) =>
        exception is InvalidOperationException && exception.InnerException is IOException or HttpRequestException or TaskCanceledException
        || exception.InnerException is InvalidOperationException { InnerException: IOException or HttpRequestException or TaskCanceledException };

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "Rejected token: {Reason} ({ExceptionType}); alg={Alg} kid={Kid} iss={Issuer} aud={Audience} repository_owner={RepositoryOwner}")]
    private static partial void LogRejected(ILogger logger, string reason, string exceptionType, string alg, string kid, string issuer, string audience, string repositoryOwner);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning,
        Message = "DEV_MODE: accepted a token WITHOUT verifying its signature (repository_owner={RepositoryOwner}). Never run DEV_MODE in production.")]
    private static partial void LogDevModeAccepted(ILogger logger, string repositoryOwner);
}
