using System.ComponentModel.DataAnnotations;

namespace Kuberollouttrigger.Ingress.Status;

/// <summary>How <c>POST /event?wait=SECONDS</c> answers (NO_MATCH_IS_SUCCESS), and how many such requests may wait at once (MAX_WAITS, MAX_WAITS_PER_REPOSITORY).</summary>
public sealed class EventWaitOptions
{
    public const string Section = "EventWait";

    /// <summary>The longest wait a request may ask for, in seconds.</summary>
    public const int MaxWaitSeconds = 900;

    /// <summary>Answer 200 instead of 422 when no workload uses the image.</summary>
    public bool NoMatchIsSuccess { get; set; }

    /// <summary>Waited requests this process holds at once; beyond it, <c>503</c> with Retry-After. Each costs memory (docs/performance.md).</summary>
    [Range(1, 100_000)]
    public int MaxWaits { get; set; } = 500;

    /// <summary>Waited requests one repository holds at once in this process; beyond it, <c>429</c> with Retry-After.</summary>
    [Range(1, 100_000)]
    public int MaxWaitsPerRepository { get; set; } = 50;

    /// <summary>A waiting request re-reads the record at least this often, in case a notification was lost while Valkey reconnected.</summary>
    public TimeSpan Recheck { get; set; } = TimeSpan.FromSeconds(5);
}
