using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Ingress.Abuse;
using Kuberollouttrigger.Ingress.Replay;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuberollouttrigger.Ingress.Admission;

public static class AdmissionExtensions
{
    /// <summary>What an event passes besides its token and payload: the policy, single use of its token, and the rate limits.</summary>
    public static IServiceCollection AddEventAdmission(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRequestPolicy(configuration);
        services.AddAbuseLimits(configuration);
        services.AddSingleton<TokenReplayStore>();
        services.AddSingleton<EventGate>();
        services.AddHostedService<AdmissionStartupSummary>();
        return services;
    }
}
