using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Kuberollouttrigger.Testing.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuberollouttrigger.Testing.FakeKube;

/// <summary>
/// An in-process stand-in for kube-apiserver over real HTTP on loopback, for what the worker uses of apps/v1
/// Deployments, StatefulSets and DaemonSets (the same machinery for each): discovery, list (all namespaces or one; limit/continue over a consistent snapshot; resourceVersion),
/// watch (ADDED/MODIFIED/DELETED/BOOKMARK; ERROR 410 when the resourceVersion is compacted; timeoutSeconds),
/// GET, PATCH (strategic merge, merge and JSON patch content types applied to the stored object), Status error
/// bodies, per-token RBAC per resource, injected faults (429 with Retry-After, 5xx), latency and held requests, and a
/// request log; and POST of core/v1 Events, kept in <see cref="Events"/>.
/// </summary>
public sealed partial class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<FaultRule> _faults = new();
    private readonly ConcurrentQueue<HoldRule> _holds = new();
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private readonly ConcurrentDictionary<string, (List<byte[]> Items, long ResourceVersion)> _pagedLists = new();
    private readonly CancellationTokenSource _stopping = new();

    private FakeKubernetesApi(WebApplication app) => _app = app;

    public FakeKubeStore Store { get; } = new();

    public FakeKubeRbac Rbac { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Delay added before every answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Interval between BOOKMARK events on watches that asked for them.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>The core/v1 Events created, in order.</summary>
    public IReadOnlyList<JsonObject> Events => [.. _events];

    /// <param name="listen">Loopback over HTTP when null; see <see cref="ListenOn"/>.</param>
    public static async Task<FakeKubernetesApi> StartAsync(ListenOn? listen = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel((listen ?? ListenOn.Loopback).Apply);
        var app = builder.Build();
        var api = new FakeKubernetesApi(app);
        app.Run(api.HandleAsync);
        await app.StartAsync();
        api.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return api;
    }

    public void AddDeployment(string ns, string name, IEnumerable<string> images, IEnumerable<string>? initImages = null, bool paused = false,
        IDictionary<string, string>? annotations = null, IDictionary<string, string>? templateAnnotations = null) =>
        Store.Put(WorkloadJson.Create(ns, name, images, initImages, paused, annotations, templateAnnotations));

    /// <summary>Adds a workload of <paramref name="kind"/>: Deployment, StatefulSet or DaemonSet.</summary>
    public void AddWorkload(string kind, string ns, string name, IEnumerable<string> images, IEnumerable<string>? initImages = null,
        IDictionary<string, string>? annotations = null, IDictionary<string, string>? templateAnnotations = null) =>
        Store.Put(WorkloadJson.Create(kind, ns, name, images, initImages, annotations, templateAnnotations));

    /// <summary>Fails the next <paramref name="times"/> requests with <paramref name="method"/> whose path contains <paramref name="pathPart"/>.</summary>
    public void Fail(string method, string pathPart, int status, int times = 1, int? retryAfterSeconds = null) =>
        _faults.Enqueue(new FaultRule((m, p) => m == method && p.Contains(pathPart, StringComparison.Ordinal), status, times, retryAfterSeconds));

    /// <summary>Holds requests with <paramref name="method"/> whose path contains <paramref name="pathPart"/> until the rule is released.</summary>
    public HoldRule Hold(string method, string pathPart)
    {
        var rule = new HoldRule((m, p) => m == method && p.Contains(pathPart, StringComparison.Ordinal));
        _holds.Enqueue(rule);
        return rule;
    }

    /// <summary>
    /// Applies requests with <paramref name="method"/> whose path contains <paramref name="pathPart"/>, then holds their
    /// answers until the rule is released: a client killed meanwhile made the change without learning it.
    /// </summary>
    public HoldRule HoldAnswers(string method, string pathPart)
    {
        var rule = new HoldRule((m, p) => m == method && p.Contains(pathPart, StringComparison.Ordinal), afterApplying: true);
        _holds.Enqueue(rule);
        return rule;
    }

    public void ClearRequests() => _requests.Clear();

    /// <summary>Writes a kubeconfig pointing at this server with <paramref name="token"/>; returns its path.</summary>
    public string WriteKubeconfig(string directory, string token = FakeKubeRbac.AdminToken)
    {
        var path = Path.Combine(directory, $"kubeconfig-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {BaseAddress.ToString().TrimEnd('/')}
            users:
            - name: tester
              user:
                token: {token}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: tester
                namespace: default
            current-context: fake
            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Store.CloseAllWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
        var auth = request.Headers.Authorization.ToString();
        var token = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..] : null;
        var path = request.Path.Value ?? "";

        if (Latency > TimeSpan.Zero)
            await Task.Delay(Latency, context.RequestAborted);

        var at = DateTimeOffset.UtcNow;
        var query = request.QueryString.Value ?? "";
        if (_holds.FirstOrDefault(h => h.AfterApplying && h.Matches(request.Method, path)) is { } answerHold)
        {
            await AnswerAfterHoldAsync(context, answerHold, at, path, query, token, body);
            return;
        }
        foreach (var hold in _holds.Where(h => !h.AfterApplying))
        {
            if (!await hold.WaitAsync(request.Method, path, context.RequestAborted))
            {
                // 499, as nginx logs it: the client closed the connection; nothing was applied.
                _requests.Enqueue(new RecordedRequest(at, request.Method, path, query, request.ContentType, body, token, request.Headers.UserAgent.ToString(), 499));
                return;
            }
        }
        if (query.Contains("watch=true", StringComparison.Ordinal) && Rbac.Knows(token))
        {
            // A watch streams for a long time: record it when it starts, so tests see it while it is open.
            _requests.Enqueue(new RecordedRequest(at, request.Method, path, query, request.ContentType, body, token, request.Headers.UserAgent.ToString(), 200));
            await RouteAsync(context, path, token, body);
            return;
        }
        // Recorded just before the answer leaves, so a client that has its answer always finds its request in the log.
        context.Response.OnStarting(() =>
        {
            _requests.Enqueue(new RecordedRequest(at, request.Method, path, query, request.ContentType, body, token, request.Headers.UserAgent.ToString(), context.Response.StatusCode));
            return Task.CompletedTask;
        });
        await RouteAsync(context, path, token, body);
    }

    /// <summary>Applies the request with its answer buffered, records it, and sends the answer once the hold is released, if the client is still there.</summary>
    private async Task AnswerAfterHoldAsync(HttpContext context, HoldRule hold, DateTimeOffset at, string path, string query, string? token, string body)
    {
        var request = context.Request;
        var wire = context.Response.Body;
        using var answer = new MemoryStream();
        context.Response.Body = answer;
        await RouteAsync(context, path, token, body);
        var delivered = await hold.WaitAsync(request.Method, path, context.RequestAborted);
        _requests.Enqueue(new RecordedRequest(at, request.Method, path, query, request.ContentType, body, token, request.Headers.UserAgent.ToString(), context.Response.StatusCode, AnswerLost: !delivered));
        context.Response.Body = wire;
        if (!delivered)
            return;
        answer.Position = 0;
        await answer.CopyToAsync(wire, context.RequestAborted);
    }

    private async Task<int> RouteAsync(HttpContext context, string path, string? token, string body)
    {
        var method = context.Request.Method;
        foreach (var fault in _faults)
        {
            if (fault.TryTake(method, path))
            {
                if (fault.RetryAfterSeconds is { } seconds)
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return await WriteStatusAsync(context, fault.Status, "injected fault");
            }
        }

        if (path is "/version")
            return await WriteJsonAsync(context, 200, new JsonObject { ["major"] = "1", ["minor"] = "31", ["gitVersion"] = "v1.31.0-fake" });
        if (path is "/api")
            return await WriteJsonAsync(context, 200, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") });
        if (path is "/apis")
            return await WriteJsonAsync(context, 200, Discovery.Groups());
        if (path is "/apis/apps/v1")
            return await WriteJsonAsync(context, 200, Discovery.AppsV1());
        if (path is "/api/v1")
            return await WriteJsonAsync(context, 200, Discovery.CoreV1());

        if (!Rbac.Knows(token))
            return await WriteStatusAsync(context, 401, "Unauthorized");

        var route = ResourceRoute.Parse(path);
        if (route is null)
            return await WriteStatusAsync(context, 404, "the server could not find the requested resource");

        var watch = context.Request.Query["watch"] == "true" || context.Request.Query["watch"] == "1";
        var verb = (method, route.Name, watch) switch
        {
            ("GET", null, true) => "watch",
            ("GET", null, false) => "list",
            ("GET", _, _) => "get",
            ("PATCH", not null, _) when route.Resource != FakeResource.Events => "patch",
            ("POST", null, _) when route.Resource == FakeResource.Events => "create",
            _ => null,
        };
        if (verb is null)
            return await WriteStatusAsync(context, 405, $"method {method} not allowed");
        if (!Rbac.Allows(token!, route.Resource.Plural, route.Namespace, verb))
            return await WriteStatusAsync(context, 403, Forbidden(token!, verb, route), route.Name, route.Resource);

        return verb switch
        {
            "create" => await CreateEventAsync(context, route.Namespace!, body),
            "watch" => await WatchAsync(context, route),
            "list" => await ListAsync(context, route),
            "get" => Store.Get(route.Namespace!, route.Name!, route.Resource.Plural) is { } found
                ? await WriteJsonAsync(context, 200, found)
                : await WriteStatusAsync(context, 404, $"{route.Resource.QualifiedName} \"{route.Name}\" not found", route.Name, route.Resource),
            _ => await PatchAsync(context, route, body),
        };
    }

    private static string Forbidden(string token, string verb, ResourceRoute route) =>
        $"{route.Resource.QualifiedName}{(route.Name is null ? "" : $" \"{route.Name}\"")} is forbidden: User \"system:serviceaccount:test:{token}\" cannot {verb} resource \"{route.Resource.Plural}\" in API group \"{route.Resource.Group}\" "
        + (route.Namespace is null ? "at the cluster scope" : $"in the namespace \"{route.Namespace}\"");

    private static Task<int> WriteStatusAsync(HttpContext context, int code, string message, string? name = null, FakeResource? resource = null) =>
        WriteJsonAsync(context, code, KubeStatus.Failure(code, KubeStatus.ReasonFor(code), message, name, resource ?? FakeResource.Deployments));

    private static async Task<int> WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
        return status;
    }
}
