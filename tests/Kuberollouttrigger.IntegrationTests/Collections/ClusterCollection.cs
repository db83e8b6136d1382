namespace Kuberollouttrigger.IntegrationTests.Collections;

/// <summary>The worker's cluster side against the fake Kubernetes API over HTTP; no Valkey. Each test starts its own API.</summary>
[CollectionDefinition(nameof(ClusterCollection))]
public sealed class ClusterCollection;
