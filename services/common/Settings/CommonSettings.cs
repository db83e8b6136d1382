namespace Kuberollouttrigger.Common.Settings;

/// <summary>The settings both modes share, named as in the Go original.</summary>
public static class CommonSettings
{
    public static readonly Setting LogLevel = new("LOG_LEVEL", "log-level", "Logging:Level", "debug, info, warn or error", Default: "info");
    public static readonly Setting LogFormat = new("LOG_FORMAT", "log-format", "Logging:Format", "json (one JSON object per line) or text (readable lines for a terminal)", Default: "json",
        AllowedValues: ["json", "text"]);
    public static readonly Setting ValkeyAddr = new("VALKEY_ADDR", "valkey-addr", "Valkey:Address", "Valkey host:port, or a comma-separated list: Cluster nodes, or the Sentinels with --valkey-sentinel-master", Required: true);
    public static readonly Setting ValkeySentinelMaster = new("VALKEY_SENTINEL_MASTER", "valkey-sentinel-master", "Valkey:SentinelMaster", "Sentinel service name of the primary; makes VALKEY_ADDR the Sentinels");
    public static readonly Setting ValkeyCluster = new("VALKEY_CLUSTER", "valkey-cluster", "Valkey:Cluster", "Valkey Cluster: names share a slot per script, PubSub is sharded", Default: "false", IsBoolean: true);
    public static readonly Setting ValkeyChannel = new("VALKEY_CHANNEL", "valkey-channel", "Valkey:Channel", "PubSub channel", Default: "kuberollouttrigger");
    public static readonly Setting ValkeyUsername = new("VALKEY_USERNAME", "valkey-username", "Valkey:Username", "Valkey ACL user name");
    public static readonly Setting ValkeyPassword = new("VALKEY_PASSWORD", "valkey-password", "Valkey:Password", "Valkey password", Secret: true);
    public static readonly Setting ValkeyTls = new("VALKEY_TLS_ENABLED", "valkey-tls", "Valkey:UseTls", "connect to Valkey over TLS", Default: "false", IsBoolean: true);

    public static IReadOnlyList<Setting> All { get; } = [LogLevel, LogFormat, ValkeyAddr, ValkeySentinelMaster, ValkeyCluster, ValkeyChannel, ValkeyUsername, ValkeyPassword, ValkeyTls];
}
