using System.Globalization;

namespace Kuberollouttrigger.Deploy.Tests;

/// <summary>
/// The schema's pattern for a duration value: the Go-style durations (whole numbers of ms, s, m or h, or hours,
/// minutes and seconds together such as 1h30m) that lie within a setting's range, so helm refuses at install what the
/// program would refuse at start. Bounds are whole milliseconds.
/// </summary>
public static class DurationPattern
{
    private static readonly (string Unit, long Ms)[] Units = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)];

    public static string For(TimeSpan min, TimeSpan max)
    {
        var (lo, hi) = ((long)min.TotalMilliseconds, (long)max.TotalMilliseconds);
        var alternatives = new List<string>();
        if (lo == 0)
            alternatives.Add("0");
        foreach (var (unit, ms) in Units)
        {
            if (CeilDiv(lo, ms) <= hi / ms)
                alternatives.Add($"(?:{Range(CeilDiv(lo, ms), hi / ms)}){unit}");
        }
        const string sixty = "(?:[0-9]|[1-5][0-9])";
        foreach (var (unit, ms, rest) in new[] { ("h", 3_600_000L, $"(?:{sixty}m)?(?:{sixty}s)?"), ("m", 60_000L, $"(?:{sixty}s)?") })
        {
            // A leading part N with anything below it stays in range when N >= the lower bound and N + 1 <= the upper.
            var (from, to) = (Math.Max(1, CeilDiv(lo, ms)), hi / ms - 1);
            if (from <= to)
                alternatives.Add($"(?:{Range(from, to)}){unit}{rest}");
        }
        return $"^(?:{string.Join('|', alternatives)})$";
    }

    /// <summary>An alternation matching the decimal numbers from <paramref name="lo"/> to <paramref name="hi"/>, without leading zeros.</summary>
    public static string Range(long lo, long hi)
    {
        var parts = new List<string>();
        for (var digits = Digits(lo); digits <= Digits(hi); digits++)
        {
            var a = Math.Max(lo, digits == 1 ? 0 : Pow10(digits - 1));
            var b = Math.Min(hi, Pow10(digits) - 1);
            if (a <= b)
                parts.AddRange(SameLength(Text(a), Text(b)));
        }
        return string.Join('|', parts);
    }

    private static List<string> SameLength(string a, string b)
    {
        var n = a.Length;
        if (a == b)
            return [a];
        if (n == 1)
            return [$"[{a}-{b}]"];
        if (a[0] == b[0])
            return [.. SameLength(a[1..], b[1..]).Select(p => a[0] + p)];
        var result = new List<string>();
        var (zeros, nines) = (new string('0', n - 1), new string('9', n - 1));
        var low = a[0] - '0';
        if (a[1..] != zeros)
        {
            result.AddRange(SameLength(a[1..], nines).Select(p => a[0] + p));
            low++;
        }
        var high = b[0] - '0';
        if (b[1..] != nines)
            high--;
        if (low <= high)
            result.Add((low == high ? Text(low) : $"[{low}-{high}]") + (n == 2 ? "[0-9]" : $"[0-9]{{{n - 1}}}"));
        if (b[1..] != nines)
            result.AddRange(SameLength(zeros, b[1..]).Select(p => b[0] + p));
        return result;
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;

    private static int Digits(long n) => Text(n).Length;

    private static long Pow10(int n) => (long)Math.Pow(10, n);

    private static string Text(long n) => n.ToString(CultureInfo.InvariantCulture);
}
