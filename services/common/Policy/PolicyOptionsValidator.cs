using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Common.Policy;

/// <summary>Reads the policy file at start, so a broken policy stops the process with every error and its line.</summary>
public sealed class PolicyOptionsValidator : IValidateOptions<PolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.File))
            return ValidateOptionsResult.Success;
        var read = PolicyFileReader.ReadFile(options.File);
        return read.Errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(read.Errors.Select(e => $"{PolicySettings.File.Names} {options.File}: {e}"));
    }
}
