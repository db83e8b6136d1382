using Kuberollouttrigger.Host;
using Kuberollouttrigger.Ingress;
using Kuberollouttrigger.Ingress.Configuration;
using Kuberollouttrigger.RolloutWorker;
using Kuberollouttrigger.RolloutWorker.Configuration;

// kuberollouttrigger <web|worker> [flags]: the first argument chooses the mode, as in the Go original. Each mode's
// table of contents is its Build method: IngressApplication.Build (web) and WorkerApplication.Build (worker).
return args switch
{
    ["web", .. var flags] => await ModeRunner.RunAsync("web", IngressSettings.All, IngressSettings.ListenAddr, flags, IngressApplication.Build),
    ["worker", .. var flags] => await ModeRunner.RunAsync("worker", WorkerSettings.All, WorkerSettings.HealthAddr, flags, WorkerApplication.Build),
    ["version" or "--version", ..] => Usage.Version(),
    ["-h" or "--help" or "help", ..] => Usage.Help(),
    [] => await Usage.FailAsync(null),
    [var mode, ..] => await Usage.FailAsync($"unknown mode '{mode}'"),
};
