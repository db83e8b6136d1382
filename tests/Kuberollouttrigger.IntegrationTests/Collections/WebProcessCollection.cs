using Kuberollouttrigger.IntegrationTests.Infrastructure;

namespace Kuberollouttrigger.IntegrationTests.Collections;

/// <summary>The published executable in web mode as users start it: exit codes, flags over env, dev mode, logs, /metrics.</summary>
[CollectionDefinition(nameof(WebProcessCollection))]
public sealed class WebProcessCollection : ICollectionFixture<SharedServers>;
