using System.Diagnostics;
using Kuberollouttrigger.RolloutWorker.Cluster;
using Kuberollouttrigger.Testing.FakeKube;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kuberollouttrigger.Bench;

/// <summary>
/// Seeds the fake API server with N Deployments over M namespaces, starts the worker's production cluster
/// registration against it, and reports the initial sync time and the managed memory the index holds.
/// </summary>
public static class IndexSyncMeasurement
{
    public static async Task<int> RunAsync(string[] args)
    {
        var deployments = Option(args, "--deployments", 10_000);
        var namespaces = Option(args, "--namespaces", 500);
        var perNamespace = args.Contains("--per-namespace");

        await using var api = await FakeKubernetesApi.StartAsync();
        for (var i = 0; i < deployments; i++)
        {
            var ns = $"team-{i % namespaces:D3}";
            api.AddDeployment(ns, $"svc-{i:D5}", [$"ghcr.io/acme/svc-{i % 2_000:D4}:dev", "docker.io/library/nginx:1.27"], initImages: [$"ghcr.io/acme/migrate:{i % 10}"]);
        }
        var kubeconfig = api.WriteKubeconfig(Path.GetTempPath());
        var allowed = perNamespace ? string.Join(',', Enumerable.Range(0, namespaces).Select(n => $"team-{n:D3}")) : "";

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kubernetes:Kubeconfig"] = kubeconfig,
            ["Kubernetes:AllowedNamespaces"] = allowed,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        services.AddCluster(configuration);
        await using var provider = services.BuildServiceProvider();
        var index = provider.GetRequiredService<WorkloadIndex>();

        var before = Managed();
        var watch = Stopwatch.StartNew();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
            await service.StartAsync(CancellationToken.None);
        while (!index.IsSynced)
            await Task.Delay(5);
        watch.Stop();
        var after = Managed();
        var lookups = Stopwatch.StartNew();
        var matched = 0;
        for (var i = 0; i < 10_000; i++)
            matched += index.Match($"ghcr.io/acme/svc-{i % 2_000:D4}", ["dev", "v1", "latest"]).Count;
        lookups.Stop();

        foreach (var service in hosted)
            await service.StopAsync(CancellationToken.None);
        var indexed = index.Count;
        var withIndex = Managed();
        index.ReplaceScope(new WatchScope(WorkloadKind.Deployment, ""), []);
        var indexBytes = withIndex - Managed();

        Console.WriteLine("== index sync ==");
        Console.WriteLine($"deployments            {indexed}");
        Console.WriteLine($"namespaces             {namespaces} ({(perNamespace ? "one list+watch per namespace" : "one cluster-wide list+watch")})");
        Console.WriteLine($"initial sync           {watch.Elapsed.TotalMilliseconds:F0} ms");
        Console.WriteLine($"index memory           {indexBytes / 1024.0 / 1024.0:F1} MiB (managed heap released when the index is emptied)");
        Console.WriteLine($"sync memory growth     {(after - before) / 1024.0 / 1024.0:F1} MiB (whole process heap, fake API server and open watches included)");
        Console.WriteLine($"lookup, 3 tags         {lookups.Elapsed.TotalMicroseconds / 10_000:F1} us each ({matched / 10_000.0:F1} matches each)");
        Console.WriteLine($"LIST requests          {api.Requests.Count(r => r.IsList)}");
        if (!perNamespace)
            Figures.Add("index-memory", $"Index for {indexed:N0} Deployments", "≤ 20 MiB", $"{indexBytes / 1024.0 / 1024.0:F1} MiB managed heap", "", "", "`index-sync`, heap released when the index is emptied");
        Figures.Add(perNamespace ? "index-sync-per-namespace" : "index-sync", $"Index sync, {indexed:N0} Deployments, {namespaces} namespaces, {(perNamespace ? "per-namespace" : "cluster-wide")}", "",
            $"{watch.Elapsed.TotalSeconds:F1} s", "", "", $"`index-sync{(perNamespace ? " --per-namespace" : "")}` (in process, the production cluster registration)");

        File.Delete(kubeconfig);
        GC.KeepAlive(index);
        return 0;
    }

    private static long Managed()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : fallback;
    }
}
