using Kuberollouttrigger.IntegrationTests.Infrastructure;

namespace Kuberollouttrigger.IntegrationTests.Collections;

/// <summary>Event status and <c>?wait</c>: ingress, worker and the fake API's rollout simulator, in process.</summary>
[CollectionDefinition(nameof(StatusCollection))]
public sealed class StatusCollection : ICollectionFixture<SharedServers>;
