using Kuberollouttrigger.Common.Hosting;
using Kuberollouttrigger.Common.Images;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Configuration;

public sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (ImageUpdateRules.CheckPrefix(options.AllowedImagePrefix) is { } prefixError)
            failures.Add($"{WorkerSettings.AllowedImagePrefix.Names}: {prefixError}");
        if (ListenAddress.Parse(options.HealthAddress) is null)
            failures.Add($"{WorkerSettings.HealthAddr.Names}: '{options.HealthAddress}' is not host:port or :port");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
