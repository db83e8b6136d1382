using System.Globalization;

namespace Kuberollouttrigger.Common.Settings;

/// <summary>
/// Checks one raw value against what its <see cref="Setting"/> accepts and turns it into the form the options bind:
/// booleans to true/false, durations to <c>hh:mm:ss</c>. Every refusal is one line naming the setting, the value and
/// what is allowed, in the docs' units.
/// </summary>
public static class SettingValues
{
    private static readonly string[] TrueWords = ["1", "t", "true"];
    private static readonly string[] FalseWords = ["0", "f", "false"];

    /// <summary>The value to bind, or null with <paramref name="error"/> set.</summary>
    public static string? Normalise(Setting setting, string raw, out string? error)
    {
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentNullException.ThrowIfNull(raw);
        error = null;
        var shown = setting.Secret ? "***" : raw;
        if (setting.IsBoolean)
        {
            if (TrueWords.Contains(raw, StringComparer.OrdinalIgnoreCase))
                return "true";
            if (FalseWords.Contains(raw, StringComparer.OrdinalIgnoreCase))
                return "false";
            error = $"{setting.Names} must be true or false, not '{shown}'";
            return null;
        }
        if (setting.IsDuration)
            return Duration(setting, raw, shown, out error);
        if (setting.IsInteger)
            return Integer(setting, raw, shown, out error);
        if (setting.AllowedValues is { Count: > 0 } allowed && !allowed.Contains(raw.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            error = $"{setting.Names} must be {Words(allowed)}, not '{shown}'";
            return null;
        }
        if (setting.IsList && raw.Split(',').Any(entry => entry.Trim().Length == 0))
        {
            error = $"{setting.Names} must be a comma-separated list without empty entries, not '{shown}'; leave it unset instead of empty";
            return null;
        }
        return raw;
    }

    private static string? Duration(Setting setting, string raw, string shown, out string? error)
    {
        error = null;
        var value = Durations.Parse(raw);
        if (setting.Range is not { } range)
        {
            if (value is null)
                error = $"{setting.Names} must be a duration such as 30s, 5m or 24h, not '{shown}'";
            return value?.ToString("c", CultureInfo.InvariantCulture);
        }
        if (value is null || value < Durations.Parse(range.Min) || value > Durations.Parse(range.Max))
        {
            error = $"{setting.Names} must be a duration from {range} (such as 30s, 5m or 24h), not '{shown}'";
            return null;
        }
        return value.Value.ToString("c", CultureInfo.InvariantCulture);
    }

    private static string? Integer(Setting setting, string raw, string shown, out string? error)
    {
        error = null;
        var parsed = long.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value);
        var range = setting.Range;
        if (!parsed || range is not null
            && (value < long.Parse(range.Min, CultureInfo.InvariantCulture) || value > long.Parse(range.Max, CultureInfo.InvariantCulture)))
        {
            error = range is null
                ? $"{setting.Names} must be a whole number, not '{shown}'"
                : $"{setting.Names} must be a whole number from {range}, not '{shown}'";
            return null;
        }
        return value.ToString(CultureInfo.InvariantCulture);
    }

    private static string Words(IReadOnlyList<string> words) =>
        words.Count == 1 ? words[0] : string.Join(", ", words.Take(words.Count - 1)) + " or " + words[^1];
}
