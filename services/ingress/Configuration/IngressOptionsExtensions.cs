using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress.Configuration;

public static class IngressOptionsExtensions
{
    /// <summary>Binds <see cref="IngressOptions"/> once and validates it at start.</summary>
    public static IServiceCollection AddIngressOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngressOptions>()
            .Bind(configuration.GetSection(IngressOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngressOptions>, IngressOptionsValidator>();
        return services;
    }
}
