using System.Text;
using BenchmarkDotNet.Attributes;
using Kuberollouttrigger.Common.Images;
using Kuberollouttrigger.Ingress.Events;

namespace Kuberollouttrigger.Benchmarks;

/// <summary>What the web mode does with a body before publishing: strict read, image rules, tag rules.</summary>
[MemoryDiagnoser]
public class PayloadBenchmarks
{
    private readonly byte[] _body = Encoding.UTF8.GetBytes("""{"image":"ghcr.io/acme/team/app","tags":["dev","v1.2.3","v1.2","v1","latest"]}""");
    private readonly ImageUpdateRules _rules = new("ghcr.io/acme");

    [Benchmark]
    public bool ParseAndValidate()
    {
        var payload = EventPayloadReader.Read(_body).Payload!;
        return _rules.CheckImage(payload.Image) is null && ImageUpdateRules.CheckTags(payload.Tags).Error is null;
    }
}
