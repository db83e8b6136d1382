using Kuberollouttrigger.Common.Logging;
using Kuberollouttrigger.Common.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Kuberollouttrigger.Common.Hosting;

/// <summary>What every mode gets: JSON (or text) logs, OpenTelemetry, health endpoints, request ids and the request log.</summary>
public static class ServiceDefaultsExtensions
{
    public const string ReadyTag = "ready";
    public const string ActivitySourcePrefix = "Kuberollouttrigger.";
    public const string MeterPrefix = "Kuberollouttrigger.";

    /// <summary>Label sets kept per metric stream (see AddOpenTelemetryDefaults).</summary>
    public const int MetricCardinalityLimit = 200;

    /// <summary>Builds a slim web host whose only configuration is what <see cref="SettingsReader"/> read (and the OTEL_* variables).</summary>
    public static WebApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?> settings, string defaultServiceName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(OpenTelemetryEnvironment.Variables());
        builder.AddServiceDefaults(defaultServiceName);
        return builder;
    }

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string defaultServiceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLineLogging();
        builder.Services.AddHealthChecks();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddRequestTelemetry();
        builder.AddOpenTelemetryDefaults(defaultServiceName);
        return builder;
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).DisableHttpMetrics();
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = ReadinessResponse.WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).DisableHttpMetrics();
        app.MapPrometheusScrapingEndpoint("/metrics").DisableHttpMetrics();
        return app;
    }

    /// <summary>
    /// Lines on stdout at the validated LOG_LEVEL, as JSON or text (LOG_FORMAT). Framework chatter stays at warning
    /// unless the operator asked for debug; MassTransit's own lines and the health check service's appear only at
    /// debug: every failed message has its own line from the receive path, and <c>/readyz</c> says why it is not ready.
    /// </summary>
    private static void AddLineLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<LoggingOptions, LoggingOptionsValidator>(builder.Configuration, LoggingOptions.Section);
        builder.Services.AddOptions<LoggerFilterOptions>().Configure<IOptions<LoggingOptions>>((filters, logging) =>
        {
            var level = logging.Value.MinimumLevel;
            var debug = level == LogLevel.Debug;
            filters.MinLevel = level;
            filters.Rules.Add(new LoggerFilterRule(null, "Microsoft", debug ? LogLevel.Debug : LogLevel.Warning, null));
            filters.Rules.Add(new LoggerFilterRule(null, "MassTransit", debug ? LogLevel.Debug : LogLevel.None, null));
            filters.Rules.Add(new LoggerFilterRule(null, "Microsoft.Extensions.Diagnostics.HealthChecks", debug ? LogLevel.Debug : LogLevel.None, null));
        });
        builder.Services.AddOptions<ConsoleLoggerOptions>().Configure<IOptions<LoggingOptions>>((console, logging) => console.FormatterName = logging.Value.FormatterName);

        builder.Logging.ClearProviders();
        // Our formatters write trace_id and span_id themselves; the activity scope would only add a parent_id of zeros.
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.None);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // Their request lines carry the raw path and query, where a token may have been pasted; the request log
        // (RequestLogMiddleware, with LoggedPath) replaces them, at every level.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel.BadRequests", LogLevel.Warning);
        builder.Logging.AddConsole()
            .AddConsoleFormatter<JsonLineFormatter, ConsoleFormatterOptions>(o => o.IncludeScopes = true)
            .AddConsoleFormatter<TextLineFormatter, ConsoleFormatterOptions>(o => o.IncludeScopes = true);
    }

    private static void AddOpenTelemetryDefaults(this WebApplicationBuilder builder, string defaultServiceName)
    {
        // Bound here, once, because it decides what is registered: the SDK reads the same variables at run time.
        var environment = builder.Configuration.Get<OpenTelemetryEnvironment>() ?? new OpenTelemetryEnvironment();
        var serviceName = environment.ServiceName is { Length: > 0 } name ? name : defaultServiceName;
        var otel = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService(serviceName));
        // Spans cost CPU on every request; they are recorded only when there is somewhere to send them.
        if (environment.ExportsOtlp)
        {
            otel.WithTracing(tracing => tracing
                .AddSource(ActivitySourcePrefix + "*", "MassTransit")
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = ctx => !RequestLogMiddleware.IsProbe(ctx.Request.Path);
                    o.EnrichWithHttpRequest = (activity, request) => activity.SetTag("url.path", LoggedPath.Of(request.Path));
                })
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }
        else
        {
            builder.Services.AddHostedService<LogCorrelation>();
        }
        otel.WithMetrics(metrics => metrics
            .AddMeter(MeterPrefix + "*", "MassTransit", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http")
            // The SDK reserves room for 2,000 label sets in every metric stream up front: 10 MiB of the worker's heap
            // for its 60 streams, whose labels (kind, outcome, cause, route, status) take a few dozen sets at most.
            // A label set past the limit is counted in the stream's overflow point (otel.metric.overflow), not lost.
            .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = MetricCardinalityLimit })
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
    }
}
