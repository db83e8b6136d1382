using BenchmarkDotNet.Attributes;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Transport.Publishing;

namespace Kuberollouttrigger.Benchmarks;

/// <summary>Serialising an ImageUpdated into the MassTransit JSON envelope that goes on the channel.</summary>
[MemoryDiagnoser]
public class EnvelopeBenchmarks
{
    private static readonly Uri Source = new("valkey:kuberollouttrigger-web");
    private static readonly Uri Destination = new("valkey:channel/kuberollouttrigger");
    private readonly ImageUpdated _message = new(Guid.NewGuid(), "ghcr.io/acme/app", ["dev", "v1.2.3"],
        new GitHubTrigger("acme/app", "acme", "refs/heads/main", "0123456789abcdef0123456789abcdef01234567", "build", "octocat", "4242"), DateTimeOffset.UtcNow);

    [Benchmark]
    public int WriteEnvelope() => MessageEnvelopeWriter.Write(_message, _message.EventId, Source, Destination).Length;
}
