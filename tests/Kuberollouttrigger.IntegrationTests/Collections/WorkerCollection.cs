using Kuberollouttrigger.IntegrationTests.Infrastructure;

namespace Kuberollouttrigger.IntegrationTests.Collections;

/// <summary>The worker's messaging in process: MassTransit's test harness over the production registration, the Valkey subscriber.</summary>
[CollectionDefinition(nameof(WorkerCollection))]
public sealed class WorkerCollection : ICollectionFixture<SharedServers>;
