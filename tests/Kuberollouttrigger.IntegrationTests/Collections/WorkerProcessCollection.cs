using Kuberollouttrigger.IntegrationTests.Infrastructure;

namespace Kuberollouttrigger.IntegrationTests.Collections;

/// <summary>The published executable in worker mode: exit codes, flags, log lines and /metrics, a worker killed by pid.</summary>
[CollectionDefinition(nameof(WorkerProcessCollection))]
public sealed class WorkerProcessCollection : ICollectionFixture<SharedServers>;
