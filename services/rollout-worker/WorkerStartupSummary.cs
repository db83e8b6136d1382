using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Coalescing;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.RolloutWorker.Messaging;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Receiving;
using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker;

/// <summary>The worker's one summary of its effective configuration, logged once at start from the validated options, without secrets.</summary>
public sealed partial class WorkerStartupSummary(
    IOptions<WorkerOptions> worker,
    IOptions<RolloutOptions> rollout,
    IOptions<ClusterOptions> cluster,
    IOptions<CoalescingOptions> coalescing,
    IOptions<ValkeyOptions> valkey,
    IOptions<ValkeyReceiveOptions> receive,
    IOptions<StreamDeliveryOptions> delivery,
    ILogger<WorkerStartupSummary> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var (v, c) = (valkey.Value, cluster.Value);
        LogSummary(logger, v.Topology, v.Channel, v.UseTls, !string.IsNullOrEmpty(v.Password), delivery.Value.IsStream ? StreamDeliveryOptions.StreamMode : StreamDeliveryOptions.PubSubMode,
            worker.Value.AllowedImagePrefix, string.IsNullOrEmpty(c.Kubeconfig) ? "(in-cluster)" : c.Kubeconfig, c.Namespaces.Count == 0 ? "(all)" : string.Join(',', c.Namespaces),
            string.Join(',', c.Kinds.Select(k => k.Resource)), c.DryRun, c.EmitEvents, receive.Value.Concurrency, rollout.Value.MaxParallelRestarts,
            coalescing.Value.Window.TotalSeconds, worker.Value.HealthAddress);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "worker mode: valkey {ValkeyAddress} channel {Channel} tls {ValkeyTls} (password set: {HasPassword}), delivery {DeliveryMode}, allowed image prefix {AllowedImagePrefix}, kubeconfig {Kubeconfig}, namespaces {Namespaces}, workload kinds {WorkloadKinds}, dry run {DryRun}, emit events {EmitEvents}, concurrency {Concurrency}, parallel restarts {MaxParallelRestarts}, coalesce window {CoalesceWindowSeconds:F1} s, health {HealthAddress}")]
    private static partial void LogSummary(ILogger logger, string valkeyAddress, string channel, bool valkeyTls, bool hasPassword, string deliveryMode, string allowedImagePrefix,
        string kubeconfig, string namespaces, string workloadKinds, bool dryRun, bool emitEvents, int concurrency, int maxParallelRestarts, double coalesceWindowSeconds, string healthAddress);
}
