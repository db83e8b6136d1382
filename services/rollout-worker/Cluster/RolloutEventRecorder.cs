using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// Records a core/v1 Event (reason RolloutTriggered, type Normal) on a workload that was just restarted, as kubectl
/// users expect to see it in <c>kubectl describe</c>. The restart is already done: a failure here is logged and
/// counted, never thrown, and never retried; the request is bounded by its own timeout, not the consumer's token.
/// </summary>
public sealed partial class RolloutEventRecorder
{
    public const string Reason = "RolloutTriggered";
    public const string Component = "kuberollouttrigger";

    private readonly IKubernetes _client;
    private readonly IOptions<ClusterOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RolloutEventRecorder> _logger;
    private readonly ClusterMetrics _metrics;

    public RolloutEventRecorder(IKubernetes client, IOptions<ClusterOptions> options, ClusterMetrics metrics, TimeProvider time, ILogger<RolloutEventRecorder> logger) =>
        (_client, _options, _metrics, _time, _logger) = (client, options, metrics, time, logger);

    public async Task RecordAsync(WorkloadKey workload, V1ObjectMeta? patched, RestartAudit audit)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(audit);
        var now = _time.GetUtcNow().UtcDateTime;
        var body = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = workload.Name + ".", NamespaceProperty = workload.Namespace },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = WorkloadKind.ApiVersion,
                Kind = workload.Kind.Kind,
                NamespaceProperty = workload.Namespace,
                Name = workload.Name,
                Uid = patched?.Uid,
                ResourceVersion = patched?.ResourceVersion,
            },
            Reason = Reason,
            Type = "Normal",
            Message = $"Restarted by kuberollouttrigger for {audit.Describe()}",
            Source = new V1EventSource { Component = Component },
            ReportingComponent = Component,
            ReportingInstance = Environment.MachineName,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        using var timeout = new CancellationTokenSource(_options.Value.RequestTimeout);
        try
        {
            using var response = await _client.CoreV1.CreateNamespacedEventWithHttpMessagesAsync(body, workload.Namespace, cancellationToken: timeout.Token);
            _metrics.KubeEvent("created");
            return;
        }
        catch (HttpOperationException e)
        {
            LogFailed(_logger, workload.Kind.Label, workload.Namespace, workload.Name, ((int)e.Response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (HttpRequestException)
        {
            LogFailed(_logger, workload.Kind.Label, workload.Namespace, workload.Name, "unreachable");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            LogFailed(_logger, workload.Kind.Label, workload.Namespace, workload.Name, "timeout");
        }
        _metrics.KubeEvent("failed");
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning,
        Message = "Restarted {Kind} {Namespace}/{Name}, but recording its Kubernetes Event failed ({Status}); the restart stands and is not retried")]
    private static partial void LogFailed(ILogger logger, string kind, string @namespace, string name, string status);
}
