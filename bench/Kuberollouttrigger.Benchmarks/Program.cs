using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Kuberollouttrigger.Benchmarks.PayloadBenchmarks).Assembly).Run(args);
