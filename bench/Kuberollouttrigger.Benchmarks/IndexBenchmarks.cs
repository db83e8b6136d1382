using BenchmarkDotNet.Attributes;
using k8s.Models;
using Kuberollouttrigger.RolloutWorker.Cluster;

namespace Kuberollouttrigger.Benchmarks;

/// <summary>The worker's index: one event's lookup (3 tags) among 10,000 Deployments, and one watch event applied.</summary>
[MemoryDiagnoser]
public class IndexBenchmarks
{
    private static readonly WatchScope AllDeployments = new(WorkloadKind.Deployment, "");
    private readonly WorkloadIndex _index = new();
    private V1Deployment _modified = null!;

    [GlobalSetup]
    public void Setup()
    {
        _index.ExpectScopes([AllDeployments]);
        _index.ReplaceScope(AllDeployments, Enumerable.Range(0, 10_000).Select(i => IndexedWorkload.From(Deployment(i, "dev"), _index.Intern)));
        _modified = Deployment(42, "v2");
    }

    [Benchmark]
    public int MatchThreeTags() => _index.Match("ghcr.io/acme/svc-0042", ["dev", "v1", "latest"]).Count;

    [Benchmark]
    public void ApplyWatchEvent() => _index.Upsert(IndexedWorkload.From(_modified, _index.Intern));

    private static V1Deployment Deployment(int i, string tag) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"svc-{i:D5}", NamespaceProperty = $"team-{i % 500:D3}", ResourceVersion = "1" },
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector(),
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    Containers = [new V1Container { Name = "app", Image = $"ghcr.io/acme/svc-{i % 2_000:D4}:{tag}" }, new V1Container { Name = "proxy", Image = "docker.io/library/nginx:1.27" }],
                    InitContainers = [new V1Container { Name = "migrate", Image = $"ghcr.io/acme/migrate:{i % 10}" }],
                },
            },
        },
    };
}
