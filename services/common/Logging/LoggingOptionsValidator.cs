using Kuberollouttrigger.Common.Settings;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Common.Logging;

public sealed class LoggingOptionsValidator : IValidateOptions<LoggingOptions>
{
    public ValidateOptionsResult Validate(string? name, LoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return LogLevels.Parse(options.Level) is null
            ? ValidateOptionsResult.Fail($"{CommonSettings.LogLevel.Names} must be debug, info, warn or error")
            : ValidateOptionsResult.Success;
    }
}
