using System.Globalization;

namespace Kuberollouttrigger.Common.Settings;

/// <summary>
/// Reads Go-style durations (<c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>24h</c>, and a bare <c>0</c> as Go's
/// time.ParseDuration allows) and .NET's <c>hh:mm:ss</c>.
/// </summary>
public static class Durations
{
    public static TimeSpan? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && text.Contains(':', StringComparison.Ordinal))
            return span >= TimeSpan.Zero ? span : null;

        var total = TimeSpan.Zero;
        var rest = text.AsSpan().Trim();
        if (rest.IsEmpty)
            return null;
        if (rest is "0")
            return TimeSpan.Zero;
        while (!rest.IsEmpty)
        {
            var digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
                digits++;
            if (digits == 0 || !double.TryParse(rest[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                return null;
            rest = rest[digits..];
            var unitLength = 0;
            while (unitLength < rest.Length && char.IsAsciiLetter(rest[unitLength]))
                unitLength++;
            TimeSpan? part = rest[..unitLength] switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => null,
            };
            if (part is null)
                return null;
            total += part.Value;
            rest = rest[unitLength..];
        }
        return total;
    }

    /// <summary>
    /// A duration the way the docs and the settings write it: <c>24h</c>, <c>1h30m</c>, <c>10m</c>, <c>30s</c>,
    /// <c>500ms</c>, <c>0s</c>; what <see cref="Parse"/> reads back to the same value.
    /// </summary>
    public static string Format(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
            return "0s";
        var text = new System.Text.StringBuilder();
        var hours = (long)duration.TotalHours;
        if (hours > 0)
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        if (duration.Minutes > 0)
            text.Append(duration.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        if (duration.Seconds > 0)
            text.Append(duration.Seconds.ToString(CultureInfo.InvariantCulture)).Append('s');
        if (duration.Milliseconds > 0)
            text.Append(duration.Milliseconds.ToString(CultureInfo.InvariantCulture)).Append("ms");
        return text.Length == 0 ? "0s" : text.ToString();
    }
}
