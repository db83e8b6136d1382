namespace Kuberollouttrigger.Ingress.Status;

/// <summary>How <c>POST /event?wait=SECONDS</c> answers (NO_MATCH_IS_SUCCESS).</summary>
public sealed class EventWaitOptions
{
    public const string Section = "EventWait";

    /// <summary>The longest wait a request may ask for, in seconds.</summary>
    public const int MaxWaitSeconds = 900;

    /// <summary>Answer 200 instead of 422 when no workload uses the image.</summary>
    public bool NoMatchIsSuccess { get; set; }

    /// <summary>A waiting request re-reads the record at least this often, in case a notification was lost while Valkey reconnected.</summary>
    public TimeSpan Recheck { get; set; } = TimeSpan.FromSeconds(5);
}
