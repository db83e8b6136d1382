using Kuberollouttrigger.Common.Hosting;
using Kuberollouttrigger.Common.Images;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Ingress.Configuration;

public sealed class IngressOptionsValidator : IValidateOptions<IngressOptions>
{
    public ValidateOptionsResult Validate(string? name, IngressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (ImageUpdateRules.CheckPrefix(options.AllowedImagePrefix) is { } prefixError)
            failures.Add($"{IngressSettings.AllowedImagePrefix.Names}: {prefixError}");
        if (ListenAddress.Parse(options.ListenAddress) is null)
            failures.Add($"{IngressSettings.ListenAddr.Names}: '{options.ListenAddress}' is not host:port or :port");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
