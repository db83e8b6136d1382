namespace Kuberollouttrigger.Common.Settings;

/// <summary>
/// One public configuration name: the environment variable and the flag users set (the Go original's names),
/// and the configuration key the options classes bind from.
/// </summary>
public sealed record Setting(
    string EnvVar,
    string Flag,
    string ConfigKey,
    string Description,
    string? Default = null,
    bool Required = false,
    bool Secret = false,
    bool IsBoolean = false,
    bool IsDuration = false)
{
    public string Names => $"{EnvVar} / --{Flag}";
}
