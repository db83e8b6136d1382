using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Discovery;

/// <summary>
/// Feeds the index: per scope (each allowed namespace, or all namespaces at once) a paged LIST, then a WATCH from the
/// list's resourceVersion with bookmarks, resumed from the last resourceVersion seen whenever it ends. A 410 Gone
/// means the history is gone: list again. Errors back off exponentially with jitter.
/// </summary>
public sealed partial class WorkloadWatcher(
    IKubernetes client,
    WorkloadIndex index,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<WorkloadWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var namespaces = options.Value.Namespaces;
        var scopes = namespaces.Count == 0 ? [""] : namespaces;
        index.ExpectScopes(scopes);
        return Task.WhenAll(scopes.Select(scope => Task.Run(() => RunScopeAsync(scope, stoppingToken), stoppingToken)));
    }

    private async Task RunScopeAsync(string scope, CancellationToken stoppingToken)
    {
        string? resourceVersion = null;
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await ListAsync(scope, stoppingToken);
                    backoff = TimeSpan.FromMilliseconds(500);
                }
                resourceVersion = await WatchAsync(scope, resourceVersion, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden && resourceVersion is null && scope.Length > 0)
            {
                // One namespace without a RoleBinding must not hold up the others: it counts as empty until RBAC allows it.
                index.MarkForbidden(scope);
                LogForbidden(logger, scope, options.Value.ForbiddenRetry.TotalSeconds);
                try
                {
                    await Task.Delay(Jitter(options.Value.ForbiddenRetry), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (Exception e) when (IsGone(e))
            {
                LogRelist(logger, ScopeName(scope), resourceVersion ?? "-");
                resourceVersion = null;
            }
#pragma warning disable CA1031 // A watch loop must survive any API or network failure; it logs, backs off and resumes.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogWatchFailed(logger, ScopeName(scope), e.GetType().Name, StatusOf(e), backoff.TotalSeconds);
                try
                {
                    await Task.Delay(Jitter(backoff), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task<string> ListAsync(string scope, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var items = new List<IndexedWorkload>();
        string? continueToken = null;
        string? resourceVersion;
        do
        {
            var page = scope.Length == 0
                ? await client.AppsV1.ListDeploymentForAllNamespacesAsync(continueParameter: continueToken, limit: options.Value.ListPageSize, cancellationToken: cancellationToken)
                : await client.AppsV1.ListNamespacedDeploymentAsync(scope, continueParameter: continueToken, limit: options.Value.ListPageSize, cancellationToken: cancellationToken);
            items.AddRange(page.Items.Select(d => IndexedWorkload.From(d, index.Intern)));
            continueToken = page.Metadata?.ContinueProperty;
            resourceVersion = page.Metadata?.ResourceVersion;
        }
        while (!string.IsNullOrEmpty(continueToken));

        var wasSynced = index.IsSynced;
        index.ReplaceScope(scope, items);
        if (!wasSynced && index.IsSynced)
            ReleaseListMemory();
        LogListed(logger, ScopeName(scope), items.Count, resourceVersion ?? "-", time.GetElapsedTime(started).TotalMilliseconds);
        return resourceVersion ?? "0";
    }

    private async Task<string> WatchAsync(string scope, string resourceVersion, CancellationToken cancellationToken)
    {
        var timeoutSeconds = (int)options.Value.WatchTimeout.TotalSeconds;
        Exception? failure = null;
        var events = scope.Length == 0
            ? client.AppsV1.WatchListDeploymentForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: e => failure ??= e, cancellationToken: cancellationToken)
            : client.AppsV1.WatchListNamespacedDeploymentAsync(scope, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: e => failure ??= e, cancellationToken: cancellationToken);
        await foreach (var (type, deployment) in events)
        {
            switch (type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    index.Upsert(IndexedWorkload.From(deployment, index.Intern));
                    break;
                case WatchEventType.Deleted:
                    index.Remove(IndexedWorkload.From(deployment, index.Intern).Key);
                    break;
                case WatchEventType.Error:
                    throw new WatchExpiredException("the watch reported an error");
            }
            resourceVersion = deployment.Metadata?.ResourceVersion ?? resourceVersion;
        }
        if (failure is not null)
            throw failure;
        return resourceVersion;
    }

    /// <summary>
    /// The first sync deserializes every Deployment once and keeps only a few strings of each; give the transient
    /// heap back to the OS right away instead of carrying it for the life of the pod (measured in docs/performance.md).
    /// </summary>
    private static void ReleaseListMemory() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private static bool IsGone(Exception e) => e switch
    {
        WatchExpiredException => true,
        KubernetesException k => k.Status?.Code == 410,
        HttpOperationException h => h.Response?.StatusCode == HttpStatusCode.Gone,
        _ => false,
    };

    private static string StatusOf(Exception e) => e switch
    {
        HttpOperationException h => ((int?)h.Response?.StatusCode)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
        KubernetesException k => k.Status?.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
        _ => "-",
    };

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + (Random.Shared.NextDouble() * 0.4));

    private static string ScopeName(string scope) => scope.Length == 0 ? "(all namespaces)" : scope;

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Listed {Count} deployments in {Scope} at resourceVersion {ResourceVersion} in {ElapsedMs:F0} ms")]
    private static partial void LogListed(ILogger logger, string scope, int count, string resourceVersion, double elapsedMs);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Watch of {Scope} expired at resourceVersion {ResourceVersion} (410 Gone); listing again")]
    private static partial void LogRelist(ILogger logger, string scope, string resourceVersion);

    [LoggerMessage(EventId = 403, Level = LogLevel.Error,
        Message = "No permission to list deployments in namespace {Namespace} (403): give the worker's service account a RoleBinding there, or remove it from ALLOWED_NAMESPACES; retrying every {RetrySeconds} s")]
    private static partial void LogForbidden(ILogger logger, string @namespace, double retrySeconds);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Watching deployments in {Scope} failed ({ErrorType}, status {Status}); retrying in about {DelaySeconds:F1} s")]
    private static partial void LogWatchFailed(ILogger logger, string scope, string errorType, string status, double delaySeconds);
}
