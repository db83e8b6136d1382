using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace Kuberollouttrigger.Common.Hosting;

/// <summary>
/// Without an OTLP endpoint nothing records spans, so MassTransit and our own sources would start none, and the
/// worker's log lines would carry no <c>trace_id</c>. This listener has those sources create their activities as
/// propagation-only (<see cref="ActivitySamplingResult.PropagationData"/>: ids and parent, no tags, no export), so
/// every log line written while an event is handled carries the trace id the CI request started, in both modes, with
/// nothing but stdout collected. With OTLP on, the OpenTelemetry SDK's own listener records them as before.
/// </summary>
public sealed class LogCorrelation : IHostedService, IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == "MassTransit" || source.Name.StartsWith(ServiceDefaultsExtensions.ActivitySourcePrefix, StringComparison.Ordinal),
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        SampleUsingParentId = (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.PropagationData,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}
