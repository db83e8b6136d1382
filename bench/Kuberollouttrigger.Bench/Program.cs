using Kuberollouttrigger.Bench;

return args.FirstOrDefault() switch
{
    "index-sync" => await IndexSyncMeasurement.RunAsync(args[1..]),
    "footprint" => await FootprintMeasurement.RunAsync(args[1..]),
    "ingress-load" => await IngressLoad.RunAsync(args[1..]),
    "bare-publish" => await BarePublishServer.RunAsync(args[1..]),
    "worker-latency" => await WorkerLatency.RunAsync(args[1..]),
    "stream-latency" => await StreamIdleLatency.RunAsync(args[1..]),
    "wait-memory" => await WaitMemory.RunAsync(args[1..]),
    "cluster-scale" => await ClusterScale.RunAsync(args[1..]),
    "report" => FigureReport.Run(args[1..]),
    "container-memory" when OperatingSystem.IsLinux() => await ContainerMemoryMeasurement.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Kuberollouttrigger.Bench index-sync [--deployments N] [--namespaces N] [--per-namespace]");
    Console.Error.WriteLine("       Kuberollouttrigger.Bench footprint <published kuberollouttrigger.dll> [--deployments N]");
    Console.Error.WriteLine("       Kuberollouttrigger.Bench ingress-load <published kuberollouttrigger.dll> [--seconds N]");
    Console.Error.WriteLine("       Kuberollouttrigger.Bench worker-latency <published kuberollouttrigger.dll>");
    Console.Error.WriteLine("       Kuberollouttrigger.Bench stream-latency <published kuberollouttrigger.dll>");
    Console.Error.WriteLine("       Kuberollouttrigger.Bench wait-memory <published kuberollouttrigger.dll> [--waits N]");
    Console.Error.WriteLine("       Kuberollouttrigger.Bench cluster-scale <published kuberollouttrigger.dll> [--deployments 100000] [--namespaces 2000]");
    Console.Error.WriteLine("       Kuberollouttrigger.Bench container-memory <image> [--web-memory 256Mi] [--worker-memory 256Mi] [--seconds 5]");
    return 2;
}
