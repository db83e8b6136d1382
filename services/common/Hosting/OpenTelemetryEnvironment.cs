using Microsoft.Extensions.Configuration;

namespace Kuberollouttrigger.Common.Hosting;

/// <summary>
/// The OpenTelemetry SDK's own environment variables that shape the host: spans are recorded only when
/// OTEL_EXPORTER_OTLP_ENDPOINT names somewhere to send them, and OTEL_SERVICE_NAME overrides the mode's service name.
/// The SDK reads these and the other OTEL_* variables itself.
/// </summary>
public sealed class OpenTelemetryEnvironment
{
    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public string? OtlpEndpoint { get; set; }

    [ConfigurationKeyName("OTEL_SERVICE_NAME")]
    public string? ServiceName { get; set; }

    public bool ExportsOtlp => !string.IsNullOrWhiteSpace(OtlpEndpoint);

    /// <summary>The OTEL_* variables of this process, as configuration keys for the SDK and for this class.</summary>
    public static Dictionary<string, string?> Variables()
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && key.StartsWith("OTEL_", StringComparison.Ordinal))
                values[key] = entry.Value as string;
        }
        return values;
    }
}
