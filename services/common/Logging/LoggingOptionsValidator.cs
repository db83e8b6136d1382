using Kuberollouttrigger.Common.Settings;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Common.Logging;

public sealed class LoggingOptionsValidator : IValidateOptions<LoggingOptions>
{
    public ValidateOptionsResult Validate(string? name, LoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (LogLevels.Parse(options.Level) is null)
            failures.Add($"{CommonSettings.LogLevel.Names} must be debug, info, warn or error, not '{options.Level}'");
        if (LogFormats.FormatterFor(options.Format) is null)
            failures.Add($"{CommonSettings.LogFormat.Names} must be json or text, not '{options.Format}'");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
