using System.Net;

namespace Kuberollouttrigger.Ingress.Abuse;

/// <summary>The TRUSTED_PROXIES list: single addresses and CIDR networks.</summary>
public sealed record TrustedProxies(IReadOnlyList<IPAddress> Addresses, IReadOnlyList<IPNetwork> Networks)
{
    /// <summary>The list, or the entry that is neither an address nor a network.</summary>
    public static (TrustedProxies? Proxies, string? Error) Parse(string? text)
    {
        var addresses = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(entry, out var network))
                networks.Add(network);
            else if (!entry.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(entry, out var address))
                addresses.Add(address);
            else
                return (null, $"'{entry}' is not an IP address or a CIDR network such as 10.0.0.0/8");
        }
        return (new TrustedProxies(addresses, networks), null);
    }
}
