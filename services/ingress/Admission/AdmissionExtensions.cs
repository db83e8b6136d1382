using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.Ingress.Replay;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuberollouttrigger.Ingress.Admission;

public static class AdmissionExtensions
{
    /// <summary>What an event passes besides its token and payload: the policy and the single use of its token (the budgets come with <c>AddAbuseLimits</c>, the publisher with <c>AddValkeyPublishing</c>).</summary>
    public static IServiceCollection AddEventAdmission(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRequestPolicy(configuration);
        services.AddSingleton<TokenRecords>();
        services.AddSingleton<EventAdmission>();
        return services;
    }
}
