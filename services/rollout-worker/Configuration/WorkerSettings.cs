using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Common.Settings;

namespace Kuberollouttrigger.RolloutWorker.Configuration;

/// <summary>The public names of the worker mode's settings; the Go original's plus the ones marked new in docs/configuration.md.</summary>
public static class WorkerSettings
{
    public static readonly Setting AllowedImagePrefix = new("ALLOWED_IMAGE_PREFIX", "allowed-image-prefix", "Worker:AllowedImagePrefix", "only images under this repository path are restarted", Required: true);
    public static readonly Setting Kubeconfig = new("KUBECONFIG", "kubeconfig", "Kubernetes:Kubeconfig", "kubeconfig file; empty means in-cluster configuration");
    public static readonly Setting AllowedNamespaces = new("ALLOWED_NAMESPACES", "allowed-namespaces", "Kubernetes:AllowedNamespaces", "comma-separated namespaces to watch; unset means all the service account may see", IsList: true);
    public static readonly Setting WorkloadKinds = new("WORKLOAD_KINDS", "workload-kinds", "Kubernetes:WorkloadKinds", "comma-separated kinds to watch and restart: deployments, statefulsets, daemonsets (or Deployment, sts, ds)", Default: "deployments", IsList: true);
    public static readonly Setting DryRun = new("DRY_RUN", "dry-run", "Kubernetes:DryRun", "log what would restart and patch nothing", Default: "false", IsBoolean: true);
    public static readonly Setting EmitEvents = new("EMIT_EVENTS", "emit-events", "Kubernetes:EmitEvents", "record a Kubernetes Event (RolloutTriggered) on each restarted workload", Default: "false", IsBoolean: true);
    public static readonly Setting MaxParallelRestarts = new("MAX_PARALLEL_RESTARTS", "max-parallel-restarts", "Rollout:MaxParallelRestarts", "restart PATCH requests in flight per event", Default: "8",
        IsInteger: true, Range: new("1", "64"));
    public static readonly Setting HealthAddr = new("WORKER_HEALTH_ADDR", "health-addr", "Worker:HealthAddress", "listen address of /healthz and /readyz", Default: ":8081");
    public static readonly Setting Concurrency = new("WORKER_CONCURRENCY", "worker-concurrency", "Receive:Concurrency", "messages handled at once (never two for the same image)", Default: "4",
        IsInteger: true, Range: new("1", "256"));
    public static readonly Setting DedupTtl = new("DEDUP_TTL", "dedup-ttl", "Worker:DedupTtl", "how long a handled event id is remembered in Valkey", Default: "24h",
        IsDuration: true, Range: new("10s", "720h"));

    public static readonly Setting EventStatusTtl = new("EVENT_STATUS_TTL", "event-status-ttl", "Status:Ttl", "how long an event's status record stays readable in Valkey", Default: "1h",
        IsDuration: true, Range: new("10s", "168h"));
    public static readonly Setting CoalesceWindow = new("COALESCE_WINDOW", "coalesce-window", "Coalescing:Window",
        "events for the same image within this window restart each workload once, when it closes; 0 = off", Default: "0s",
        IsDuration: true, Range: new("0s", "1h"));
    public static readonly Setting RolloutTimeout = new("ROLLOUT_TIMEOUT", "rollout-timeout", "Progress:RolloutTimeout", "how long a restarted workload's rollout is followed before it counts as timed out", Default: "10m",
        IsDuration: true, Range: new("1s", "24h"));

    public static IReadOnlyList<Setting> All { get; } =
        [.. CommonSettings.All, AllowedImagePrefix, Kubeconfig, AllowedNamespaces, WorkloadKinds, DryRun, EmitEvents, MaxParallelRestarts, HealthAddr, Concurrency, DedupTtl,
            EventStatusTtl, RolloutTimeout, PolicySettings.File, .. DeliverySettings.Worker, CoalesceWindow];
}
