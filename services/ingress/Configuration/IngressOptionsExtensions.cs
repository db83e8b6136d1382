using Kuberollouttrigger.Common.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuberollouttrigger.Ingress.Configuration;

public static class IngressOptionsExtensions
{
    /// <summary>Binds <see cref="IngressOptions"/> once and validates it at start.</summary>
    public static IServiceCollection AddIngressOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<IngressOptions, IngressOptionsValidator>(configuration, IngressOptions.Section);
        return services;
    }
}
