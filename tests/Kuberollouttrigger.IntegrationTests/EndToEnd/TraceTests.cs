using System.Diagnostics;
using System.Net;
using Kuberollouttrigger.IntegrationTests.Infrastructure;
using Kuberollouttrigger.Testing.FakeKube;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Xunit.Abstractions;

namespace Kuberollouttrigger.IntegrationTests.EndToEnd;

/// <summary>One trace from the CI request down to every PATCH, collected with OpenTelemetry's in-memory exporter.</summary>
[Collection(nameof(EndToEndCollection))]
public sealed class TraceTests(SharedServers servers, ITestOutputHelper output)
{
    private static readonly ActivitySource CiJob = new("TraceTests.CiJob");

    [Fact]
    public async Task One_trace_spans_the_request_the_publish_the_consume_and_every_patch()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(CiJob.Name, "Kuberollouttrigger.*", "MassTransit")
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddInMemoryExporter(spans)
            .Build();
        // The collection's servers; the channel "traces" is this test's alone.
        var (redis, issuer) = (servers.Redis, servers.Issuer);
        await using var api = await FakeKubernetesApi.StartAsync();
        api.AddDeployment("shop", "web", ["ghcr.io/acme/app:dev"]);
        api.AddDeployment("blog", "web", ["ghcr.io/acme/app:dev"]);
        await using var ingress = await IngressServer.StartAsync(IngressServer.Settings(redis.Address, "traces", issuer));
        await using var worker = await WorkerServer.StartAsync(redis.Address, "traces", api);

        ActivityTraceId traceId;
        using (var job = CiJob.StartActivity("ci job"))
        {
            traceId = job!.TraceId;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/event") { Content = new StringContent("""{"image":"ghcr.io/acme/app","tags":["dev"]}""", System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new("Bearer", issuer.CreateToken());
            using var response = await ingress.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        // A span is exported when it ends; the consume and receive spans end after both restarts.
        string[] expected = ["POST /event", "publish traces", "image-updated receive", "image-updated process", "match workloads"];
        await Wait.UntilAsync(() => Snapshot(spans, traceId) is var t && t.Count(s => s.DisplayName == "restart deployment") == 2 && expected.All(e => t.Any(s => s.DisplayName == e)),
            what: "every span of the trace");

        var trace = Snapshot(spans, traceId);
        foreach (var span in trace.OrderBy(s => s.StartTimeUtc))
            output.WriteLine($"{span.DisplayName} [{span.Source.Name}] {span.SpanId} <- {span.ParentSpanId}");

        var server = Assert.Single(trace, s => s.DisplayName == "POST /event");
        Assert.Equal(ActivityKind.Server, server.Kind);
        Assert.Equal("/event", server.GetTagItem("http.route"));
        Assert.Equal(202, server.GetTagItem("http.response.status_code"));
        Assert.Equal("acme/app", server.GetTagItem("kuberollouttrigger.repository"));
        Assert.NotNull(server.GetTagItem("kuberollouttrigger.event_id"));
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", server.GetTagItem("vcs.ref.head.revision"));
        var publish = Assert.Single(trace, s => s.DisplayName == "publish traces");
        Assert.Equal(server.SpanId, publish.ParentSpanId);
        Assert.Equal("redis", publish.GetTagItem("messaging.system"));
        Assert.Equal("traces", publish.GetTagItem("messaging.destination.name"));
        Assert.NotNull(publish.GetTagItem("messaging.message.id"));

        var receive = Assert.Single(trace, s => s.Source.Name == "MassTransit" && s.DisplayName == "image-updated receive");
        Assert.Equal(publish.SpanId, receive.ParentSpanId);
        var consume = Assert.Single(trace, s => s.Source.Name == "MassTransit" && s.DisplayName == "image-updated process");
        Assert.Equal(receive.SpanId, consume.ParentSpanId);
        var match = Assert.Single(trace, s => s.DisplayName == "match workloads");
        Assert.Equal(consume.SpanId, match.ParentSpanId);
        Assert.Equal(2, match.GetTagItem("kuberollouttrigger.matches"));
        var restarts = trace.Where(s => s.DisplayName == "restart deployment").ToList();
        Assert.Equal(["blog", "shop"], restarts.Select(r => (string)r.GetTagItem("k8s.namespace.name")!).Order());
        Assert.All(restarts, r =>
        {
            Assert.Equal(consume.SpanId, r.ParentSpanId);
            Assert.Equal("restarted", r.GetTagItem("kuberollouttrigger.outcome"));
            var patch = Assert.Single(trace, s => s.Kind == ActivityKind.Client && s.ParentSpanId == r.SpanId);
            Assert.Equal("PATCH", patch.GetTagItem("http.request.method"));
            Assert.Equal(200, patch.GetTagItem("http.response.status_code"));
        });
    }

    private static List<Activity> Snapshot(List<Activity> spans, ActivityTraceId traceId)
    {
        lock (spans)
            return [.. spans.Where(s => s.TraceId == traceId)];
    }
}
