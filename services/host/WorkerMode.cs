using Kuberollouttrigger.RolloutWorker;
using Kuberollouttrigger.RolloutWorker.Configuration;

namespace Kuberollouttrigger.Host;

public static class WorkerMode
{
    public static Task<int> RunAsync(string[] args) => ModeRunner.RunAsync("worker", WorkerSettings.All, args, WorkerApplication.Build);
}
