using Kuberollouttrigger.IntegrationTests.Infrastructure;

namespace Kuberollouttrigger.IntegrationTests.Collections;

/// <summary>
/// The web mode in process: token validation, payload rules, the security table, replay, rate limits, outages. One
/// redis-server and issuer (the environment's) and one shared ingress; tests that need other settings start their own
/// ingress on a channel of their own.
/// </summary>
[CollectionDefinition(nameof(IngressCollection))]
public sealed class IngressCollection : ICollectionFixture<IngressEnvironment>;
