using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.RolloutWorker.Rollout;
using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Receiving;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker;

/// <summary>Logs the worker's effective configuration once at start, without secrets.</summary>
public sealed partial class WorkerStartupSummary(
    IOptions<WorkerOptions> worker,
    IOptions<RolloutOptions> rollout,
    IOptions<ClusterOptions> cluster,
    IOptions<ValkeyOptions> valkey,
    IOptions<ValkeyReceiveOptions> receive,
    IConfiguration configuration,
    ILogger<WorkerStartupSummary> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var v = valkey.Value;
        var kubeconfig = configuration[WorkerSettings.Kubeconfig.ConfigKey];
        var namespaces = configuration[WorkerSettings.AllowedNamespaces.ConfigKey];
        var dryRun = configuration[WorkerSettings.DryRun.ConfigKey] == "true";
        LogSummary(logger, v.Address, v.Channel, v.UseTls, !string.IsNullOrEmpty(v.Password), worker.Value.AllowedImagePrefix,
            string.IsNullOrEmpty(kubeconfig) ? "(in-cluster)" : kubeconfig, string.IsNullOrEmpty(namespaces) ? "(all)" : namespaces,
            string.Join(',', cluster.Value.Kinds.Select(k => k.Resource)), dryRun, cluster.Value.EmitEvents, receive.Value.Concurrency, rollout.Value.MaxParallelRestarts, worker.Value.HealthAddress);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "worker mode: valkey {ValkeyAddress} channel {Channel} tls {ValkeyTls} (password set: {HasPassword}), allowed image prefix {AllowedImagePrefix}, kubeconfig {Kubeconfig}, namespaces {Namespaces}, workload kinds {WorkloadKinds}, dry run {DryRun}, emit events {EmitEvents}, concurrency {Concurrency}, parallel restarts {MaxParallelRestarts}, health {HealthAddress}")]
    private static partial void LogSummary(ILogger logger, string valkeyAddress, string channel, bool valkeyTls, bool hasPassword, string allowedImagePrefix,
        string kubeconfig, string namespaces, string workloadKinds, bool dryRun, bool emitEvents, int concurrency, int maxParallelRestarts, string healthAddress);
}
