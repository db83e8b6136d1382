namespace Kuberollouttrigger.Common.Settings;

/// <summary>
/// One public configuration name: the environment variable and the flag users set (the Go original's names),
/// the configuration key the options classes bind from, and what a value must look like. <see cref="SettingsReader"/>
/// refuses a value that does not fit, naming the setting, the value and what is allowed, before anything binds it.
/// </summary>
/// <param name="Range">For whole numbers and durations: the smallest and largest value, in the units the docs use (<c>10s</c>, <c>24h</c>, <c>64</c>).</param>
/// <param name="AllowedValues">The only words accepted (any case), e.g. <c>pubsub</c> and <c>stream</c>.</param>
/// <param name="IsList">A comma-separated list: a value with an empty entry (<c>,</c>, <c>a,,b</c>) is refused instead of being read as fewer names.</param>
public sealed record Setting(
    string EnvVar,
    string Flag,
    string ConfigKey,
    string Description,
    string? Default = null,
    bool Required = false,
    bool Secret = false,
    bool IsBoolean = false,
    bool IsDuration = false,
    bool IsInteger = false,
    SettingRange? Range = null,
    IReadOnlyList<string>? AllowedValues = null,
    bool IsList = false)
{
    public string Names => $"{EnvVar} / --{Flag}";
}
