using System.Runtime.CompilerServices;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

internal static class TestAssemblySetup
{
    /// <summary>
    /// Many real servers (Kestrel, redis clients, MassTransit buses) share 2 cores in one test process; a larger
    /// minimum keeps the thread pool from starving while test classes run in parallel.
    /// </summary>
    [ModuleInitializer]
    internal static void RaiseThreadPoolMinimum() => ThreadPool.SetMinThreads(64, 64);
}
