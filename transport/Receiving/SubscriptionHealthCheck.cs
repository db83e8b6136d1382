using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuberollouttrigger.Transport.Receiving;

public sealed class SubscriptionHealthCheck(SubscriptionState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsSubscribed ? HealthCheckResult.Healthy("subscribed") : HealthCheckResult.Unhealthy("not subscribed to the Valkey channel"));
}
