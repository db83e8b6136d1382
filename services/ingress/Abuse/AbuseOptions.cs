using System.ComponentModel.DataAnnotations;

namespace Kuberollouttrigger.Ingress.Abuse;

/// <summary>Rate limits and the proxies whose X-Forwarded-For is believed.</summary>
public sealed class AbuseOptions
{
    public const string Section = "Abuse";

    /// <summary>Failed or unauthenticated requests per client address and minute; then 429 before any signature check. 0: off.</summary>
    [Range(0, 1_000_000)]
    public int AuthFailuresPerMinute { get; set; } = 30;

    /// <summary>Events published per repository and minute; then 429. 0: off.</summary>
    [Range(0, 1_000_000)]
    public int EventsPerMinutePerRepository { get; set; } = 60;

    /// <summary>Comma-separated addresses or CIDRs of reverse proxies; empty means the TCP peer is the client.</summary>
    public string? TrustedProxies { get; set; }
}
