using Kuberollouttrigger.IntegrationTests.Infrastructure;

namespace Kuberollouttrigger.IntegrationTests.Collections;

/// <summary>Forged messages and images against the published executables, which must refuse them and keep running.</summary>
[CollectionDefinition(nameof(HostileInputProcessCollection))]
public sealed class HostileInputProcessCollection : ICollectionFixture<SharedServers>;
