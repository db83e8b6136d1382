using Kuberollouttrigger.IntegrationTests.HighAvailability;

namespace Kuberollouttrigger.IntegrationTests.Collections;

/// <summary>
/// The product on the Valkey topologies users run for availability: one three-node Cluster shared by the Cluster tests,
/// and a primary, replica and three Sentinels each failover test starts for itself. In one collection so a failover
/// never shares the cores with the Cluster tests: its timings are what it reports.
/// </summary>
[CollectionDefinition(nameof(HighAvailabilityCollection))]
public sealed class HighAvailabilityCollection : ICollectionFixture<ClusterServers>;
