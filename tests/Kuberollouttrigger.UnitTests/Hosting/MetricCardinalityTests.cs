using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Kuberollouttrigger.Common.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Kuberollouttrigger.UnitTests.Hosting;

/// <summary>
/// Every metric stream keeps at most <see cref="ServiceDefaultsExtensions.MetricCardinalityLimit"/> label sets
/// (docs/performance.md): the SDK's default of 2,000 reserved 10 MiB of the worker's heap up front. A label set past
/// the limit is still counted, in the stream's overflow point.
/// </summary>
public sealed class MetricCardinalityTests
{
    [Fact]
    public async Task A_stream_keeps_the_limit_of_label_sets_and_counts_the_rest_as_overflow()
    {
        var builder = ServiceDefaultsExtensions.CreateBuilder(new Dictionary<string, string?>(), "cardinality-test");
        var port = FreePort();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var app = builder.Build();
        app.MapHealthEndpoints();
        await app.StartAsync();
        using var meter = new Meter(ServiceDefaultsExtensions.MeterPrefix + "CardinalityTest");
        var counter = meter.CreateCounter<long>("cardinality_test_total");
        const int labelSets = ServiceDefaultsExtensions.MetricCardinalityLimit + 50;
        for (var i = 0; i < labelSets; i++)
            counter.Add(1, new KeyValuePair<string, object?>("n", i));

        using var client = new HttpClient();
        var text = await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        var points = text.Split('\n').Where(l => l.StartsWith("cardinality_test_total{", StringComparison.Ordinal)).ToList();
        await app.StopAsync();

        Assert.InRange(points.Count, ServiceDefaultsExtensions.MetricCardinalityLimit - 1, ServiceDefaultsExtensions.MetricCardinalityLimit + 1);
        Assert.Contains(points, p => p.Contains("otel_metric_overflow=\"true\"", StringComparison.Ordinal));
        Assert.Equal(labelSets, points.Sum(p => long.Parse(p[(p.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
