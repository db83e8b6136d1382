using Kuberollouttrigger.Common.Hosting;

namespace Kuberollouttrigger.RolloutWorker.Cluster;

/// <summary>Names every Kubernetes request <c>kuberollouttrigger/&lt;version&gt;</c>, so the API server's audit log and metrics tell the worker apart.</summary>
public sealed class UserAgentHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.UserAgent.Clear();
        request.Headers.TryAddWithoutValidation("User-Agent", ProductVersion.UserAgent);
        return base.SendAsync(request, cancellationToken);
    }
}
