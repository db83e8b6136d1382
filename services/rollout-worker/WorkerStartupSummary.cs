using Kuberollouttrigger.Common.Logging;
using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Common.Settings;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Coalescing;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.RolloutWorker.Messaging;
using Kuberollouttrigger.RolloutWorker.Rollouts;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Receiving;
using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker;

/// <summary>
/// The worker's one summary of its effective configuration, logged once at start from the validated options: every
/// setting it reads, under its environment variable's name (a field per setting, e.g. <c>dedup_ttl</c>), durations in
/// the docs' units, secrets only as set or not.
/// </summary>
public sealed partial class WorkerStartupSummary(
    IOptions<LoggingOptions> logging,
    IOptions<WorkerOptions> worker,
    IOptions<RolloutOptions> rollout,
    IOptions<ClusterOptions> cluster,
    IOptions<CoalescingOptions> coalescing,
    IOptions<StatusOptions> status,
    IOptions<ProgressOptions> progress,
    IOptions<ValkeyOptions> valkey,
    IOptions<ValkeyReceiveOptions> receive,
    IOptions<StreamDeliveryOptions> delivery,
    IOptions<PolicyOptions> policy,
    ILogger<WorkerStartupSummary> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var (v, c, d, w) = (valkey.Value, cluster.Value, delivery.Value, worker.Value);
        LogSummary(logger, logging.Value.Level, logging.Value.Format, v.Address, Shown(v.SentinelMaster), v.Cluster, v.Channel, Shown(v.Username), v.Password is { Length: > 0 } ? "set" : "not set", v.UseTls,
            w.AllowedImagePrefix, string.IsNullOrEmpty(c.Kubeconfig) ? "(in-cluster)" : c.Kubeconfig, c.Namespaces.Count == 0 ? "(all)" : string.Join(',', c.Namespaces),
            string.Join(',', c.Kinds.Select(k => k.Resource)), c.DryRun, c.EmitEvents, rollout.Value.MaxParallelRestarts, w.HealthAddress, receive.Value.Concurrency,
            Durations.Format(w.DedupTtl), Durations.Format(status.Value.Ttl), Durations.Format(progress.Value.RolloutTimeout), Shown(policy.Value.File),
            d.IsStream ? StreamDeliveryOptions.StreamMode : StreamDeliveryOptions.PubSubMode, d.Group, d.MaxLength, Durations.Format(d.ClaimIdle), d.MaxDeliveries,
            Durations.Format(coalescing.Value.Window));
        if (c.DryRun)
            LogDryRun(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Shown(string? value) => string.IsNullOrWhiteSpace(value) ? "(none)" : value;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "worker mode: LOG_LEVEL={LogLevel} LOG_FORMAT={LogFormat} VALKEY_ADDR={ValkeyAddr} VALKEY_SENTINEL_MASTER={ValkeySentinelMaster} VALKEY_CLUSTER={ValkeyCluster} VALKEY_CHANNEL={ValkeyChannel} VALKEY_USERNAME={ValkeyUsername} " +
            "VALKEY_PASSWORD={ValkeyPassword} VALKEY_TLS_ENABLED={ValkeyTlsEnabled} ALLOWED_IMAGE_PREFIX={AllowedImagePrefix} KUBECONFIG={Kubeconfig} " +
            "ALLOWED_NAMESPACES={AllowedNamespaces} WORKLOAD_KINDS={WorkloadKinds} DRY_RUN={DryRun} EMIT_EVENTS={EmitEvents} MAX_PARALLEL_RESTARTS={MaxParallelRestarts} " +
            "WORKER_HEALTH_ADDR={WorkerHealthAddr} WORKER_CONCURRENCY={WorkerConcurrency} DEDUP_TTL={DedupTtl} EVENT_STATUS_TTL={EventStatusTtl} " +
            "ROLLOUT_TIMEOUT={RolloutTimeout} POLICY_FILE={PolicyFile} DELIVERY_MODE={DeliveryMode} STREAM_GROUP={StreamGroup} STREAM_MAX_LEN={StreamMaxLen} " +
            "STREAM_CLAIM_IDLE={StreamClaimIdle} STREAM_MAX_DELIVERIES={StreamMaxDeliveries} COALESCE_WINDOW={CoalesceWindow}")]
    private static partial void LogSummary(ILogger logger, string logLevel, string logFormat, string valkeyAddr, string valkeySentinelMaster, bool valkeyCluster, string valkeyChannel, string valkeyUsername,
        string valkeyPassword, bool valkeyTlsEnabled, string allowedImagePrefix, string kubeconfig, string allowedNamespaces, string workloadKinds, bool dryRun,
        bool emitEvents, int maxParallelRestarts, string workerHealthAddr, int workerConcurrency, string dedupTtl, string eventStatusTtl, string rolloutTimeout,
        string policyFile, string deliveryMode, string streamGroup, long streamMaxLen, string streamClaimIdle, int streamMaxDeliveries, string coalesceWindow);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "DRY_RUN is on: the worker logs what it would restart and patches nothing")]
    private static partial void LogDryRun(ILogger logger);
}
