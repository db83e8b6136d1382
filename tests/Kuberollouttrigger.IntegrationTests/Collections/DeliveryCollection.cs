using Kuberollouttrigger.IntegrationTests.Infrastructure;

namespace Kuberollouttrigger.IntegrationTests.Collections;

/// <summary>Stream delivery and restart coalescing across replicas, in process.</summary>
[CollectionDefinition(nameof(DeliveryCollection))]
public sealed class DeliveryCollection : ICollectionFixture<SharedServers>;
