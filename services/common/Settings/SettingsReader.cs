using System.Globalization;
using System.Text;

namespace Kuberollouttrigger.Common.Settings;

/// <summary>
/// Reads a mode's settings env-first with each flag overriding its variable, the way the Go original does
/// (<c>--name value</c>, <c>--name=value</c>, <c>-name</c>, and bare boolean flags), and reports every problem at once, one line each (<see cref="SettingValues"/>).
/// </summary>
public static class SettingsReader
{
    public static SettingsReadResult Read(IReadOnlyList<Setting> settings, IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);

        var errors = new List<string>();
        var fromFlags = ParseFlags(settings, args, errors, out var help);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var missing = new List<string>();

        foreach (var setting in settings)
        {
            var raw = fromFlags.TryGetValue(setting, out var flagValue) ? flagValue : NonEmpty(environment(setting.EnvVar));
            raw ??= setting.Default;
            if (raw is not null)
            {
                raw = SettingValues.Normalise(setting, raw, out var error);
                if (error is not null)
                {
                    errors.Add(error);
                    continue;
                }
            }
            if (raw is null && setting.Required)
                missing.Add(setting.Names);
            values[setting.ConfigKey] = raw;
        }

        if (missing.Count > 0)
            errors.Insert(0, "missing required configuration: " + string.Join(", ", missing));
        return new SettingsReadResult(values, errors, help);
    }

    /// <summary>The usage text for a mode, listing every setting with its default.</summary>
    public static string Usage(string mode, IReadOnlyList<Setting> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Usage: kuberollouttrigger {mode} [flags]\n\nEvery flag can be set by its environment variable instead; a flag wins.\n\n");
        foreach (var s in settings)
        {
            var allowed = s.Range is { } range ? $"; {range}" : s.AllowedValues is { Count: > 0 } words ? $"; {string.Join(" or ", words)}" : "";
            var suffix = s.Required ? $" (required{allowed})" : s.Default is null ? (allowed.Length == 0 ? "" : $" ({allowed[2..]})") : $" (default {s.Default}{allowed})";
            text.Append(CultureInfo.InvariantCulture, $"  --{s.Flag,-28} {s.EnvVar,-28} {s.Description}{suffix}\n");
        }
        return text.ToString();
    }

    private static Dictionary<Setting, string> ParseFlags(IReadOnlyList<Setting> settings, IReadOnlyList<string> args, List<string> errors, out bool help)
    {
        help = false;
        var byFlag = settings.ToDictionary(s => s.Flag, StringComparer.Ordinal);
        var result = new Dictionary<Setting, string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-help")
            {
                help = true;
                continue;
            }
            if (!arg.StartsWith('-') || arg is "-" or "--")
            {
                errors.Add($"unexpected argument '{arg}'");
                continue;
            }
            var name = arg.TrimStart('-');
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            if (!byFlag.TryGetValue(name, out var setting))
            {
                errors.Add($"unknown flag --{name}");
                continue;
            }
            if (value is null)
            {
                if (setting.IsBoolean)
                    value = "true";
                else if (i + 1 < args.Count)
                    value = args[++i];
                else
                {
                    errors.Add($"flag --{name} needs a value");
                    continue;
                }
            }
            result[setting] = value;
        }
        return result;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
