using Kuberollouttrigger.IntegrationTests.Infrastructure;

namespace Kuberollouttrigger.IntegrationTests.Ingress;

/// <summary>Tests that share one ingress, issuer and redis-server; they run one after another so the channel order is theirs.</summary>
[CollectionDefinition(nameof(IngressCollection))]
public sealed class IngressCollection : ICollectionFixture<IngressEnvironment>;
