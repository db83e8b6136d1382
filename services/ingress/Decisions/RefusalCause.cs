namespace Kuberollouttrigger.Ingress.Decisions;

/// <summary>Why a request was refused; <see cref="DecisionResult"/> maps each to its status, the metrics to their reason label.</summary>
public enum RefusalCause
{
    /// <summary>No valid token (401).</summary>
    Unauthenticated,

    /// <summary>The issuer's keys could not be fetched (503).</summary>
    IssuerUnavailable,

    /// <summary>The client address spent its failure budget (429).</summary>
    AddressOverBudget,

    /// <summary>Not JSON (415).</summary>
    ContentType,

    /// <summary>Body over the limit (413).</summary>
    TooLarge,

    /// <summary>The body is not the strict payload (400).</summary>
    Payload,

    /// <summary>The image is not strictly below the allowed prefix (400).</summary>
    Prefix,

    /// <summary>The <c>wait</c> parameter is not a whole number of seconds in range (400).</summary>
    WaitParameter,

    /// <summary>The authorization policy refuses it (403).</summary>
    Policy,

    /// <summary>The token was used for a different event (409).</summary>
    Replay,

    /// <summary>Valkey did not answer the token check or the publish in time (503 with Retry-After).</summary>
    ValkeyUnavailable,

    /// <summary>The repository spent its event budget (429).</summary>
    RepositoryOverBudget,

    /// <summary>Published, but no worker received it and nothing keeps it (503).</summary>
    NobodyListening,

    /// <summary>As many tokens as the process verifies at once are being verified, and no slot freed in time (503).</summary>
    VerificationsBusy,

    /// <summary>The repository already holds as many waited requests as it may (429).</summary>
    RepositoryWaitsFull,

    /// <summary>The process already holds as many waited requests as it may (503).</summary>
    WaitsFull,
}
