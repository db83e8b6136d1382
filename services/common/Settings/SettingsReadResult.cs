namespace Kuberollouttrigger.Common.Settings;

/// <summary>The configuration values read from flags and environment, or every reason they cannot be used.</summary>
public sealed record SettingsReadResult(IReadOnlyDictionary<string, string?> Values, IReadOnlyList<string> Errors, bool HelpRequested)
{
    public bool Succeeded => Errors.Count == 0 && !HelpRequested;
}
