using System.Diagnostics;

namespace Kuberollouttrigger.Transport;

/// <summary>Spans of the Valkey adapter, named after the OpenTelemetry messaging conventions.</summary>
public static class ValkeyTelemetry
{
    public const string SourceName = "Kuberollouttrigger.Transport";

    public static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartPublish(string channel, Guid messageId)
    {
        var activity = Source.StartActivity($"publish {channel}", ActivityKind.Producer);
        if (activity is null)
            return null;
        activity.SetTag("messaging.system", "redis");
        activity.SetTag("messaging.operation.type", "send");
        activity.SetTag("messaging.operation.name", "publish");
        activity.SetTag("messaging.destination.name", channel);
        activity.SetTag("messaging.message.id", messageId.ToString());
        return activity;
    }
}
