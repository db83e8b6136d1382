using Kuberollouttrigger.Ingress.Configuration;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress.Abuse;

public sealed class AbuseOptionsValidator : IValidateOptions<AbuseOptions>
{
    public ValidateOptionsResult Validate(string? name, AbuseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TrustedProxies.Parse(options.TrustedProxies).Error is { } error
            ? ValidateOptionsResult.Fail($"{IngressSettings.TrustedProxies.Names}: {error}")
            : ValidateOptionsResult.Success;
    }
}
