using Kuberollouttrigger.IntegrationTests.Infrastructure;

namespace Kuberollouttrigger.IntegrationTests.Collections;

/// <summary>
/// Signed POST → ingress → Valkey → worker → fake Kubernetes API, both modes in process. The two classes whose
/// workers restart StatefulSets and DaemonSets (<c>WorkloadKindsEndToEndTests</c>, <c>WorkloadKindsProgressTests</c>)
/// are both here, so they never run at once: a /metrics scrape of an in-process worker sees every worker of the test
/// process, and one of them counts its StatefulSet restarts exactly.
/// </summary>
[CollectionDefinition(nameof(EndToEndCollection))]
public sealed class EndToEndCollection : ICollectionFixture<SharedServers>;
