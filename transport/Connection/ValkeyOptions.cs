using System.ComponentModel.DataAnnotations;

namespace Kuberollouttrigger.Transport.Connection;

/// <summary>How to reach Valkey and which PubSub channel carries the events (VALKEY_* settings).</summary>
public sealed class ValkeyOptions
{
    public const string Section = "Valkey";

    /// <summary>
    /// One <c>host:port</c>, or a comma-separated list: the nodes of a Cluster (any of them; the rest are discovered),
    /// or the Sentinels when <see cref="SentinelMaster"/> is set.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string Address { get; set; } = "";

    /// <summary>The service name the Sentinels at <see cref="Address"/> know the primary by; empty: no Sentinel.</summary>
    public string? SentinelMaster { get; set; }

    /// <summary>Valkey Cluster: the names that share a script live in one slot, and PubSub is sharded.</summary>
    public bool Cluster { get; set; }

    [Required(AllowEmptyStrings = false)]
    public string Channel { get; set; } = "kuberollouttrigger";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool UseTls { get; set; }

    /// <summary>Upper bound for one command, connecting included; a publish answers within it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Client name shown in CLIENT LIST, e.g. <c>kuberollouttrigger-web</c>.</summary>
    public string ClientName { get; set; } = "kuberollouttrigger";

    /// <summary>The endpoints of <see cref="Address"/>, trimmed, empty entries kept so validation can name them.</summary>
    public IReadOnlyList<string> Endpoints => (Address ?? "").Split(',').Select(e => e.Trim()).ToList();

    public bool IsSentinel => !string.IsNullOrEmpty(SentinelMaster);

    /// <summary>What the process connects to, for the start-up summary: no secret in it.</summary>
    public string Topology =>
        IsSentinel ? $"sentinel service {SentinelMaster} via {string.Join(',', Endpoints)}"
        : Cluster ? $"cluster via {string.Join(',', Endpoints)}"
        : string.Join(',', Endpoints);
}
