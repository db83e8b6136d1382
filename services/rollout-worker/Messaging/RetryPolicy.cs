using Kuberollouttrigger.RolloutWorker.Cluster;
using MassTransit;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>
/// Which failures the consumer's retry policy tries again (those a later attempt may fix: Kubernetes 429/5xx/timeouts,
/// connection errors, Valkey hiccups, an index not synced yet), and so whether a failed attempt was the last of its
/// delivery. The consumer definition and the filters that act on the last failure read it here, in one place.
/// </summary>
public sealed class RetryPolicy(IOptions<RolloutOptions> options)
{
    public static bool IsTransient(Exception exception) =>
        exception is TransientKubernetesException or IndexNotReadyException or HttpRequestException or TimeoutException or RedisException;

    /// <summary>True when no retry follows <paramref name="exception"/>: it is not transient, or the retries are spent.</summary>
    public bool IsLastAttempt(ConsumeContext context, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        return !IsTransient(exception) || context.GetRetryAttempt() >= options.Value.RetryLimit;
    }
}
