using Kuberollouttrigger.IntegrationTests.Infrastructure;

namespace Kuberollouttrigger.IntegrationTests.Collections;

/// <summary>Whole scenarios through child processes: the composite action's script, both executables' logs at debug level.</summary>
[CollectionDefinition(nameof(ScenarioProcessCollection))]
public sealed class ScenarioProcessCollection : ICollectionFixture<SharedServers>;
