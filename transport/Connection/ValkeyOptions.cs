using System.ComponentModel.DataAnnotations;

namespace Kuberollouttrigger.Transport.Connection;

/// <summary>How to reach Valkey and which PubSub channel carries the events (VALKEY_* settings).</summary>
public sealed class ValkeyOptions
{
    public const string Section = "Valkey";

    [Required(AllowEmptyStrings = false)]
    public string Address { get; set; } = "";

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
}
