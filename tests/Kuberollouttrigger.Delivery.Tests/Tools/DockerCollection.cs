namespace Kuberollouttrigger.Delivery.Tests.Tools;

/// <summary>The tests that run containers run one after another: the machine has two cores, and one image build serves them all.</summary>
[CollectionDefinition(Name)]
public sealed class DockerCollection
{
    public const string Name = "docker";
}
