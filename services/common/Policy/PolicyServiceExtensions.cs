using Kuberollouttrigger.Common.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Common.Policy;

public static class PolicyServiceExtensions
{
    /// <summary>Binds <see cref="PolicyOptions"/>, validates the file at start, and registers the loaded <see cref="RequestPolicy"/>.</summary>
    public static IServiceCollection AddRequestPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PolicyOptions, PolicyOptionsValidator>(configuration, PolicyOptions.Section);
        services.AddSingleton(sp =>
        {
            var file = sp.GetRequiredService<IOptions<PolicyOptions>>().Value.File;
            return new RequestPolicy(string.IsNullOrEmpty(file) ? null : PolicyFileReader.ReadFile(file).Policy
                ?? throw new OptionsValidationException(nameof(PolicyOptions), typeof(PolicyOptions), [$"{PolicySettings.File.Names}: the policy file changed and is no longer valid"]));
        });
        services.AddHostedService<PolicyStartupLog>();
        return services;
    }
}
