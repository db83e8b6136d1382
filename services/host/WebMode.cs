using Kuberollouttrigger.Ingress;
using Kuberollouttrigger.Ingress.Configuration;

namespace Kuberollouttrigger.Host;

public static class WebMode
{
    public static Task<int> RunAsync(string[] args) => ModeRunner.RunAsync("web", IngressSettings.All, args, IngressApplication.Build);
}
