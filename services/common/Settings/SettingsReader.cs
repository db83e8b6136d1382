using System.Globalization;
using System.Text;

namespace Kuberollouttrigger.Common.Settings;

/// <summary>
/// Reads a mode's settings env-first with each flag overriding its variable, the way the Go original does
/// (<c>--name value</c>, <c>--name=value</c>, <c>-name</c>, and bare boolean flags), and reports every problem at once.
/// </summary>
public static class SettingsReader
{
    private static readonly string[] TrueWords = ["1", "t", "true"];
    private static readonly string[] FalseWords = ["0", "f", "false"];

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
            if (setting.IsBoolean && raw is not null)
            {
                var parsed = ParseBoolean(raw);
                if (parsed is null)
                {
                    errors.Add($"{setting.Names} must be true or false, not '{(setting.Secret ? "***" : raw)}'");
                    continue;
                }
                raw = parsed.Value ? "true" : "false";
            }
            if (setting.IsDuration && raw is not null)
            {
                var duration = Durations.Parse(raw);
                if (duration is null)
                {
                    errors.Add($"{setting.Names} must be a duration such as 30s, 5m or 24h, not '{raw}'");
                    continue;
                }
                raw = duration.Value.ToString("c", CultureInfo.InvariantCulture);
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
            var suffix = s.Required ? " (required)" : s.Default is null ? "" : $" (default {s.Default})";
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

    private static bool? ParseBoolean(string value)
    {
        if (TrueWords.Contains(value, StringComparer.OrdinalIgnoreCase))
            return true;
        if (FalseWords.Contains(value, StringComparer.OrdinalIgnoreCase))
            return false;
        return null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
