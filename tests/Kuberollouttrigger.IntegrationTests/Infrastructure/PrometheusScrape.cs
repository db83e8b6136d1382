using System.Globalization;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>Reads a Prometheus text exposition into series -> value.</summary>
public sealed class PrometheusScrape(IReadOnlyDictionary<string, double> series)
{
    public IReadOnlyDictionary<string, double> Series => series;

    public static async Task<PrometheusScrape> FromAsync(HttpClient client, string path = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(client);
        var text = await client.GetStringAsync(path);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var space = line.LastIndexOf(' ');
            var head = line[..space];
            var rest = line[(space + 1)..];
            // An optional timestamp follows the value.
            if (head.LastIndexOf(' ') is var second and > 0 && !head.EndsWith('}'))
            {
                rest = head[(second + 1)..];
                head = head[..second];
            }
            if (double.TryParse(rest, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                values[head] = value;
        }
        return new PrometheusScrape(values);
    }

    /// <summary>The sum over every series of <paramref name="name"/> whose labels contain all of <paramref name="labels"/>.</summary>
    public double Value(string name, params string[] labels) =>
        series.Where(s => (s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)) && labels.All(l => s.Key.Contains(l, StringComparison.Ordinal)))
            .Sum(s => s.Value);

    public bool Has(string name) => series.Keys.Any(k => k == name || k.StartsWith(name + "{", StringComparison.Ordinal));
}
