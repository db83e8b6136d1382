using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>
/// Feeds the index: per scope (each enabled kind in each allowed namespace, or in all namespaces at once) a paged LIST
/// (at most <see cref="ClusterOptions.ListConcurrency"/> at once), then a WATCH from the list's resourceVersion with bookmarks, resumed from the last resourceVersion seen whenever it
/// ends. A 410 Gone means the history is gone: list again. Errors back off exponentially with jitter. Every object
/// seen goes to the index and to each <see cref="IWorkloadObserver"/>.
/// </summary>
public sealed partial class WorkloadWatcher(
    IKubernetes client,
    WorkloadIndex index,
    IOptions<ClusterOptions> options,
    IEnumerable<IWorkloadObserver> observers,
    TimeProvider time,
    ILogger<WorkloadWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly IWorkloadObserver[] _observers = [.. observers];
    private readonly SemaphoreSlim _listSlots = new(Math.Max(1, options.Value.ListConcurrency));

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var namespaces = options.Value.Namespaces;
        var scopes = options.Value.Kinds
            .SelectMany(kind => namespaces.Count == 0 ? [new WatchScope(kind, "")] : namespaces.Select(ns => new WatchScope(kind, ns)))
            .ToList();
        index.ExpectScopes(scopes);
        return Task.WhenAll(scopes.Select(scope => Task.Run(() => RunScopeAsync(scope, stoppingToken), stoppingToken)));
    }

    public override void Dispose()
    {
        _listSlots.Dispose();
        base.Dispose();
    }

    private async Task RunScopeAsync(WatchScope scope, CancellationToken stoppingToken)
    {
        string? resourceVersion = null;
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    await _listSlots.WaitAsync(stoppingToken);
                    try
                    {
                        resourceVersion = await ListAsync(scope, stoppingToken);
                    }
                    finally
                    {
                        _listSlots.Release();
                    }
                    backoff = TimeSpan.FromMilliseconds(500);
                }
                resourceVersion = await WatchAsync(scope, resourceVersion, stoppingToken);
                // The watch ended as the server ends every watch after timeoutSeconds: watch again at once, no backoff.
                backoff = TimeSpan.FromMilliseconds(500);
                LogWatchEnded(logger, scope.ToString(), (int)options.Value.WatchTimeout.TotalSeconds, resourceVersion);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden && resourceVersion is null && scope.Namespace.Length > 0)
            {
                // One namespace without a RoleBinding must not hold up the others: it counts as empty until RBAC allows it.
                index.MarkForbidden(scope);
                LogForbidden(logger, scope.Kind.Resource, scope.Namespace, options.Value.ForbiddenRetry.TotalSeconds);
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
                LogRelist(logger, scope.ToString(), resourceVersion ?? "-");
                resourceVersion = null;
            }
#pragma warning disable CA1031 // A watch loop must survive any API or network failure; it logs, backs off and resumes.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogWatchFailed(logger, scope.ToString(), ApiUrl(scope), StatusOf(e), e.GetType().Name, e.Message, backoff.TotalSeconds);
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

    private async Task<string> ListAsync(WatchScope scope, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var items = new List<IndexedWorkload>();
        string? continueToken = null;
        string? resourceVersion;
        do
        {
            var page = await WorkloadApi.ListAsync(client, scope, continueToken, options.Value.ListPageSize, cancellationToken);
            items.AddRange(page.Items.Select(w => IndexedWorkload.From(w, index.Intern)));
            // Observers see each page as it arrives, so the full objects of a large first list are not all held at once.
            foreach (var workload in page.Items)
                Notify(scope.Kind, WorkloadChange.Listed, workload);
            continueToken = page.Continue;
            resourceVersion = page.ResourceVersion;
        }
        while (!string.IsNullOrEmpty(continueToken));

        var wasSynced = index.IsSynced;
        index.ReplaceScope(scope, items);
        if (!wasSynced && index.IsSynced)
            ReleaseListMemory();
        LogListed(logger, scope.ToString(), items.Count, resourceVersion ?? "-", time.GetElapsedTime(started).TotalMilliseconds);
        return resourceVersion ?? "0";
    }

    private async Task<string> WatchAsync(WatchScope scope, string resourceVersion, CancellationToken cancellationToken)
    {
        var timeoutSeconds = (int)options.Value.WatchTimeout.TotalSeconds;
        Exception? failure = null;
        var events = WorkloadApi.WatchAsync(client, scope, resourceVersion, timeoutSeconds, e => failure ??= e, cancellationToken);
        await using var reader = events.GetAsyncEnumerator(cancellationToken);
        while (await NextAsync(reader))
        {
            var (type, workload) = reader.Current;
            switch (type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    index.Upsert(IndexedWorkload.From(workload, index.Intern));
                    Notify(scope.Kind, type == WatchEventType.Added ? WorkloadChange.Added : WorkloadChange.Modified, workload);
                    break;
                case WatchEventType.Deleted:
                    index.Remove(IndexedWorkload.From(workload, index.Intern).Key);
                    Notify(scope.Kind, WorkloadChange.Deleted, workload);
                    break;
                case WatchEventType.Error:
                    throw new WatchExpiredException("the watch reported an error");
            }
            resourceVersion = workload.Metadata?.ResourceVersion ?? resourceVersion;
        }
        if (failure is not null)
            throw failure;
        return resourceVersion;
    }

    /// <summary>
    /// The next watch event, or false at the end of the watch. KubernetesClient reads a watch response's first line
    /// before it hands the stream over (<c>LineSeparatedHttpContent</c>), and when the server ends a quiet watch after
    /// its <c>timeoutSeconds</c> without sending a single line (no change and no bookmark in that time) the read finds
    /// the end of the body and throws <see cref="EndOfStreamException"/>, which <see cref="HttpContent"/> wraps in an
    /// <see cref="HttpRequestException"/>. That is the normal end of a watch, not a failure: the loop watches again
    /// from the same resourceVersion at once. A connection cut mid-response throws other exceptions and still counts.
    /// </summary>
    private static async Task<bool> NextAsync(IAsyncEnumerator<(WatchEventType, IKubernetesObject<V1ObjectMeta>)> reader)
    {
        try
        {
            return await reader.MoveNextAsync();
        }
        catch (HttpRequestException e) when (e.InnerException is EndOfStreamException)
        {
            return false;
        }
    }

    private string ApiUrl(WatchScope scope) => (client.BaseUri?.ToString().TrimEnd('/') ?? "") + scope.ApiPath;

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
        HttpRequestException { StatusCode: { } code } => ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture),
        HttpRequestException => "no HTTP status (connection failed)",
        _ => "-",
    };

    private void Notify(WorkloadKind kind, WorkloadChange change, IKubernetesObject<V1ObjectMeta> workload)
    {
        foreach (var observer in _observers)
            observer.OnWorkload(kind, change, workload);
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + (Random.Shared.NextDouble() * 0.4));

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Listed {Count} {Scope} at resourceVersion {ResourceVersion} in {ElapsedMs:F0} ms")]
    private static partial void LogListed(ILogger logger, string scope, int count, string resourceVersion, double elapsedMs);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Watch of {Scope} expired at resourceVersion {ResourceVersion} (410 Gone); listing again")]
    private static partial void LogRelist(ILogger logger, string scope, string resourceVersion);

    [LoggerMessage(EventId = 403, Level = LogLevel.Error,
        Message = "No permission to list {Resource} in namespace {Namespace} (403): give the worker's service account a RoleBinding there, or remove it from ALLOWED_NAMESPACES or WORKLOAD_KINDS; retrying every {RetrySeconds} s")]
    private static partial void LogForbidden(ILogger logger, string resource, string @namespace, double retrySeconds);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning,
        Message = "Watching {Scope} failed: {ApiUrl} answered {Status}: {ErrorType}: {Error}; retrying in about {DelaySeconds:F1} s")]
    private static partial void LogWatchFailed(ILogger logger, string scope, string apiUrl, string status, string errorType, string error, double delaySeconds);

    [LoggerMessage(EventId = 404, Level = LogLevel.Debug, Message = "Watch of {Scope} ended after its {TimeoutSeconds} s; watching again from resourceVersion {ResourceVersion}")]
    private static partial void LogWatchEnded(ILogger logger, string scope, int timeoutSeconds, string resourceVersion);
}
