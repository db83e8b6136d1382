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
/// flood of bad tokens costs a lookup, not an RSA verification; a unit reserved for each token verified), the <c>repository_owner</c>, <c>jti</c> and token age
/// checks, a safe log line for every rejection, and the challenge's answer as a <see cref="Refused"/> decision: 401
/// naming the check that failed (<see cref="TokenRefusal"/>; it spends one unit of the budget), 429, or 503 when the
/// issuer's keys could not be fetched (an outage is not the caller's fault). Every route that requires the GitHub OIDC policy gets all of this; no route is named here.
/// </summary>
public sealed partial class GitHubOidcEvents(
    IOptions<GitHubOidcOptions> options,
    IngressMetrics metrics,
    VerificationGate gate,
    TimeProvider time,
    ILogger<GitHubOidcEvents> logger) : JwtBearerEvents
{
    private static readonly object RefusalKey = new();
    private static readonly Refused NoToken = new(RefusalCause.Unauthenticated, TokenRefusal.NoToken);
    private static readonly Refused IssuerUnavailable = new(RefusalCause.IssuerUnavailable, "the OIDC issuer's signing keys could not be fetched; retry later", TimeSpan.FromSeconds(10));

    /// <summary>
    /// Before the token is read (<see cref="VerificationGate"/>): an address that has spent its failure budget is refused
    /// without parsing or verifying it, and a token is verified only under a reserved unit of that budget and one of the
    /// process's verification slots. A valid token from a limited address is limited too: telling it apart would take
    /// the signature check this avoids.
    /// </summary>
    public override async Task MessageReceived(MessageReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await gate.EnterAsync(context.HttpContext) is { } refused)
        {
            context.HttpContext.Items[RefusalKey] = refused;
            context.Fail(refused.Reason);
        }
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        VerificationGate.VerificationEnded(context.HttpContext);
        if (StringClaims.Check(context.SecurityToken) is { } notString)
        {
            context.HttpContext.Items[RefusalKey] = new Refused(RefusalCause.Unauthenticated, notString);
            LogRejected(logger, notString, "-", "-", "-", "-", "-", "-");
            context.Fail(notString);
            return Task.CompletedTask;
        }
        var owner = context.Principal?.FindFirst(GitHubClaimNames.RepositoryOwner)?.Value;
        if (!string.Equals(owner, options.Value.AllowedOrg, StringComparison.OrdinalIgnoreCase))
        {
            Refuse(context, owner is null ? TokenRefusal.NoRepositoryOwner : TokenRefusal.WrongOwner(owner));
            return Task.CompletedTask;
        }
        if (TokenFreshness.Check(context.Principal!, time.GetUtcNow(), options.Value) is { } stale)
        {
            Refuse(context, stale);
            return Task.CompletedTask;
        }
        if (options.Value.DevMode)
            LogDevModeAccepted(logger, owner ?? "-");
        VerificationGate.GiveBack(context.HttpContext);
        return Task.CompletedTask;
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        VerificationGate.VerificationEnded(context.HttpContext);
        var unavailable = IsIssuerUnavailable(context.Exception);
        if (unavailable)
            VerificationGate.GiveBack(context.HttpContext);
        var diagnostics = TokenDiagnostics.FromAuthorizationHeader(context.Request.Headers.Authorization);
        var refused = unavailable ? IssuerUnavailable : new Refused(RefusalCause.Unauthenticated, TokenRefusal.For(context.Exception, diagnostics));
        context.HttpContext.Items[RefusalKey] = refused;
        LogRejected(logger, unavailable ? "issuer keys unavailable" : refused.Reason, context.Exception.GetType().Name,
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
        var refused = context.HttpContext.Items[RefusalKey] as Refused ?? NoToken;
        if (context.AuthenticateFailure is null)
            LogRejected(logger, NoToken.Reason, "-", "-", "-", "-", "-", "-");
        if (refused.Cause == RefusalCause.Unauthenticated)
            gate.ChargeFailure(context.HttpContext);
        metrics.Received();
        metrics.Refused(refused.Cause);
        await DecisionResult.For(refused).ExecuteAsync(context.HttpContext);
    }

    /// <summary>Refuses a token whose signature, issuer, audience and lifetime passed, naming the claim that did not.</summary>
    private void Refuse(TokenValidatedContext context, string reason)
    {
        var diagnostics = TokenDiagnostics.FromAuthorizationHeader(context.Request.Headers.Authorization);
        LogRejected(logger, reason, "-", diagnostics.Alg, diagnostics.Kid, diagnostics.Issuer, diagnostics.Audience, diagnostics.RepositoryOwner);
        context.HttpContext.Items[RefusalKey] = new Refused(RefusalCause.Unauthenticated, reason);
        context.Fail(reason);
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
